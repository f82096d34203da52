// Spherical distance exactly as MongoDB computes it for 2dsphere queries ($near, $nearSphere,
// $geoNear with GeoJSON, $centerSphere), step for step in the same floating-point order, so
// results agree to the last digit. Sources (mongodb/mongo):
// - src/mongo/db/geo/geoparser.cpp coordToPoint: S2LatLng::FromDegrees(lat, lng).ToPoint();
//   S1Angle::Degrees(d) is d * (M_PI / 180); S2LatLng::ToPoint is
//   (cos(lng)·cos(lat), sin(lng)·cos(lat), sin(lat)).
// - src/mongo/db/geo/shapes.cpp S2Distance: distanceRad = S1Angle(a, b), i.e. Vector3::Angle,
//   atan2(|a×b|, a·b); to a line or polygon: the angle to S2Polyline::Project / S2Polygon::Project.
// - src/third_party/s2/s2edgeutil.cc GetDistance, GetClosestPoint; s2.cc RobustCrossProd;
//   s2cap.cc FromAxisAngle (height 2·sin²(r/2)) and Contains ((axis − p)² ≤ 2·height).
// - src/mongo/db/geo/geometry_container.cpp minDistance: radians × kRadiusOfEarthInMeters.
import type { Position } from './geojson';

type Vec = readonly [number, number, number];

/** src/mongo/db/geo/geoconstants.h: `kRadiusOfEarthInMeters = (6378.1 * 1000)`. */
export const EARTH_RADIUS_M = 6378.1 * 1000;

/** A [longitude, latitude] position in degrees as S2's unit vector. */
export function toPoint([lng, lat]: Position): Vec {
  const phi = lat * (Math.PI / 180);
  const theta = lng * (Math.PI / 180);
  const cosphi = Math.cos(phi);
  return [Math.cos(theta) * cosphi, Math.sin(theta) * cosphi, Math.sin(phi)];
}

const dot = (a: Vec, b: Vec): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm2 = (a: Vec): number => dot(a, a);
const norm = (a: Vec): number => Math.sqrt(norm2(a));
const sub = (a: Vec, b: Vec): Vec => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const add = (a: Vec, b: Vec): Vec => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const scale = (a: Vec, k: number): Vec => [a[0] * k, a[1] * k, a[2] * k];
const same = (a: Vec, b: Vec): boolean => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

function normalize(a: Vec): Vec {
  let n = norm(a);
  if (n !== 0) n = 1.0 / n;
  return scale(a, n);
}

/** Vector3::Angle. */
export function angle(a: Vec, b: Vec): number {
  return Math.atan2(norm(cross(a, b)), dot(a, b));
}

/** S2::SimpleCCW. */
const simpleCcw = (a: Vec, b: Vec, c: Vec): boolean => dot(cross(c, a), b) > 0;

/** S2::RobustCrossProd: (b + a) × (b − a), or an arbitrary orthogonal vector when a = b. */
function robustCross(a: Vec, b: Vec): Vec {
  const x = cross(add(b, a), sub(b, a));
  if (x[0] !== 0 || x[1] !== 0 || x[2] !== 0) return x;
  return ortho(a);
}

/** Vector3::Ortho. */
function ortho(a: Vec): Vec {
  const abs = a.map(Math.abs) as unknown as Vec;
  const largest = abs[0] > abs[1] ? (abs[0] > abs[2] ? 0 : 2) : abs[1] > abs[2] ? 1 : 2;
  const k = largest - 1 < 0 ? 2 : largest - 1;
  const unit: [number, number, number] = [0, 0, 0];
  unit[k] = 1;
  return normalize(cross(a, unit));
}

/** S2EdgeUtil::GetDistance: the angle from x to the edge ab. */
function edgeDistance(x: Vec, a: Vec, b: Vec): number {
  const aCrossB = robustCross(a, b);
  if (simpleCcw(aCrossB, a, x) && simpleCcw(x, b, aCrossB)) {
    const sinDist = Math.abs(dot(x, aCrossB)) / norm(aCrossB);
    return Math.asin(Math.min(1.0, sinDist));
  }
  const linearDist2 = Math.min(norm2(sub(x, a)), norm2(sub(x, b)));
  return 2 * Math.asin(Math.min(1.0, 0.5 * Math.sqrt(linearDist2)));
}

/** S2EdgeUtil::GetClosestPoint: the point of edge ab nearest to x. */
function closestPoint(x: Vec, a: Vec, b: Vec): Vec {
  const aCrossB = robustCross(a, b);
  const p = sub(x, scale(aCrossB, dot(x, aCrossB) / norm2(aCrossB)));
  if (simpleCcw(aCrossB, a, p) && simpleCcw(p, b, aCrossB)) return normalize(p);
  return norm2(sub(x, a)) <= norm2(sub(x, b)) ? a : b;
}

/**
 * S2Polyline::Project / the boundary part of S2Polygon::Project: the closest point of the chain
 * of edges (first edge wins ties). MongoDB's parser drops repeated consecutive vertices, so
 * zero-length edges are skipped here.
 */
function projectOntoEdges(x: Vec, edges: Array<[Vec, Vec]>, lone: Vec): Vec {
  let min = 10;
  let best: [Vec, Vec] | undefined;
  for (const edge of edges) {
    const d = edgeDistance(x, edge[0], edge[1]);
    if (d < min) {
      min = d;
      best = edge;
    }
  }
  return best ? closestPoint(x, best[0], best[1]) : lone;
}

function edgesOf(vertices: Position[]): { edges: Array<[Vec, Vec]>; first: Vec } {
  const points = vertices.map(toPoint);
  const edges: Array<[Vec, Vec]> = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as Vec;
    const b = points[i] as Vec;
    if (!same(a, b)) edges.push([a, b]);
  }
  return { edges, first: points[0] as Vec };
}

/** S2Distance::distanceRad between two positions. */
export function radiansBetween(a: Position, b: Position): number {
  return angle(toPoint(a), toPoint(b));
}

/** S2Distance::minDistanceRad to a LineString. */
export function radiansToLine(center: Position, line: Position[]): number {
  const x = toPoint(center);
  const { edges, first } = edgesOf(line);
  return angle(x, projectOntoEdges(x, edges, first));
}

/** S2Distance::minDistanceRad to a polygon whose interior does not hold the point: to its rings' edges. */
export function radiansToRings(center: Position, rings: Position[][]): number {
  const x = toPoint(center);
  const all = rings.map(edgesOf);
  return angle(x, projectOntoEdges(x, all.flatMap((r) => r.edges), (all[0] as { first: Vec }).first));
}

/** S2Cap::FromAxisAngle(center, radians).Contains(point). */
export function capContains(center: Position, radians: number, point: Position): boolean {
  let height = 2;
  if (radians < Math.PI) {
    const d = Math.sin(0.5 * radians);
    height = 2 * d * d;
  }
  return norm2(sub(toPoint(center), toPoint(point))) <= 2 * height;
}
