// Geo through the real wx-server-sdk: db.Geo types stored as GeoJSON, _.geoNear / geoWithin /
// geoIntersects in where(), and the aggregation stage geoNear. Expected distances come from the
// haversine formula computed here, on the sphere MongoDB uses for 2dsphere queries (radius
// 6378100 m, MongoDB manual "Calculate Distance Using Spherical Geometry"), never from the emulator;
// where the last digits matter, from MongoDB's own S2 formula (see "distances to the last digit").
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';
import { storeWrites } from '../support/store-writes';

type Doc = Record<string, any>;
type Db = ReturnType<typeof import('wx-server-sdk').database>;
type LngLat = [number, number];

let emulator: TestEmulator;
let db: Db;
const C = 'geo_cities';

// City-centre coordinates [longitude, latitude].
const CITIES: Record<string, LngLat> = {
  beijing: [116.4074, 39.9042],
  tianjin: [117.2008, 39.0842],
  shanghai: [121.4737, 31.2304],
  hangzhou: [120.1551, 30.2741],
  guangzhou: [113.2644, 23.1291],
  shenzhen: [114.0579, 22.5431],
};

const MONGO_RADIUS_M = 6378100;
const rad = (deg: number) => (deg * Math.PI) / 180;
/** Great-circle distance in metres (haversine). */
function haversine([lng1, lat1]: LngLat, [lng2, lat2]: LngLat): number {
  const a = Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lng2 - lng1) / 2) ** 2;
  return 2 * MONGO_RADIUS_M * Math.asin(Math.sqrt(a));
}
/** City names within [min, max] metres of `from`, nearest first. */
const expectedNear = (from: LngLat, min: number, max: number) =>
  Object.entries(CITIES)
    .map(([name, at]) => ({ name, d: haversine(from, at) }))
    .filter(({ d }) => d >= min && d <= max)
    .sort((a, b) => a.d - b.d)
    .map(({ name }) => name);
const names = (docs: Doc[]) => docs.map((d) => d._id);
const total = async (query: { count(): unknown }) => ((await query.count()) as { total: number }).total;
/** _.geoWithin's typings lack centerSphere, which the SDK supports (CloudBase docs, Command.geoWithin). */
const centerSphere = (center: LngLat, radians: number) => ({ centerSphere: [center, radians] }) as never;
const sorted = (list: string[]) => [...list].sort();

beforeAll(async () => {
  emulator = await startTestEmulator();
  db = sdkFor(emulator).database();
  await db.createCollection(C);
  await db.collection(C).add({ data: Object.entries(CITIES).map(([name, [lng, lat]]) => ({ _id: name, kind: 'city', location: db.Geo.Point(lng, lat) })) });
});
afterAll(() => emulator.close());

describe('the fixture', () => {
  it('puts Beijing and Shanghai about 1,067 km apart, the published great-circle distance', () => {
    expect(haversine(CITIES.beijing!, CITIES.shanghai!) / 1000).toBeGreaterThan(1060);
    expect(haversine(CITIES.beijing!, CITIES.shanghai!) / 1000).toBeLessThan(1075);
  });
});

describe('storing db.Geo values', () => {
  it('stores every Geo type as GeoJSON and reads it back as the same Geo object', async () => {
    const { Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon } = db.Geo;
    const ring = LineString([Point(0, 0), Point(2, 0), Point(2, 2), Point(0, 2), Point(0, 0)]);
    const shapes = {
      point: Point(113.3, 23.1),
      line: LineString([Point(0, 0), Point(1, 1)]),
      polygon: Polygon([ring]),
      multiPoint: MultiPoint([Point(0, 0), Point(1, 1)]),
      multiLine: MultiLineString([LineString([Point(0, 0), Point(1, 1)]), LineString([Point(2, 2), Point(3, 3)])]),
      multiPolygon: MultiPolygon([Polygon([ring])]),
    };
    await db.createCollection('geo_shapes');
    await db.collection('geo_shapes').add({ data: { _id: 's', ...shapes } });
    const { data } = (await db.collection('geo_shapes').doc('s').get()) as { data: Doc };
    expect(data).toEqual({ _id: 's', ...shapes });
    expect(data.polygon).toBeInstanceOf(shapes.polygon.constructor);
    // aggregate() hands back the stored value untouched: GeoJSON (RFC 7946), as CloudBase stores it.
    const [raw] = ((await db.collection('geo_shapes').aggregate().match({ _id: 's' }).end()) as { list: Doc[] }).list;
    expect(raw!.point).toEqual({ type: 'Point', coordinates: [113.3, 23.1] });
    expect(raw!.multiPolygon).toEqual({ type: 'MultiPolygon', coordinates: [[[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]] });
  });
});

describe('_.geoNear ($nearSphere)', () => {
  it('returns the documents within maxDistance metres, nearest first', async () => {
    const _ = db.command;
    const [lng, lat] = CITIES.beijing!;
    const { data } = (await db.collection(C).where({ location: _.geoNear({ geometry: db.Geo.Point(lng, lat), maxDistance: 1_100_000 }) }).get()) as { data: Doc[] };
    expect(names(data)).toEqual(expectedNear(CITIES.beijing!, 0, 1_100_000));
    expect(names(data)).toEqual(['beijing', 'tianjin', 'shanghai']);
  });

  it('honours minDistance as well, and pages after ordering by distance', async () => {
    const _ = db.command;
    const [lng, lat] = CITIES.shenzhen!;
    const near = { location: _.geoNear({ geometry: db.Geo.Point(lng, lat), minDistance: 50_000, maxDistance: 1_500_000 }) };
    const all = expectedNear(CITIES.shenzhen!, 50_000, 1_500_000);
    const { data } = (await db.collection(C).where(near).get()) as { data: Doc[] };
    expect(names(data)).toEqual(all);
    expect(all).not.toContain('shenzhen');
    const page = (await db.collection(C).where(near).skip(1).limit(1).get()) as { data: Doc[] };
    expect(names(page.data)).toEqual(all.slice(1, 2));
  });

  it('lets an explicit orderBy override the distance order (MongoDB manual, $near: sort() re-orders)', async () => {
    const _ = db.command;
    const [lng, lat] = CITIES.beijing!;
    const { data } = (await db.collection(C).where({ location: _.geoNear({ geometry: db.Geo.Point(lng, lat), maxDistance: 1_100_000 }) }).orderBy('_id', 'desc').get()) as { data: Doc[] };
    expect(names(data)).toEqual(expectedNear(CITIES.beijing!, 0, 1_100_000).sort().reverse());
  });
});

describe('$near with a GeoJSON point (sent raw; the SDK only sends $nearSphere)', () => {
  it('measures in metres on the sphere and sorts nearest first, as $nearSphere does (MongoDB manual, $near)', async () => {
    const res = await emulator.post<{ data?: { list: string[] } }>('/admin', {
      action: 'database.getDocument',
      collectionName: C,
      query: JSON.stringify({ location: { $near: { $geometry: { type: 'Point', coordinates: CITIES.guangzhou }, $maxDistance: 1_500_000 } } }),
    });
    const ids = res.body.data!.list.map((d) => (JSON.parse(d) as Doc)._id);
    expect(ids).toEqual(expectedNear(CITIES.guangzhou!, 0, 1_500_000));
  });

  it('refuses the legacy coordinate-pair shapes ($box, legacy $near) with DATABASE_INVALID_OPERRATOR', async () => {
    const box = await emulator.post<{ code?: string; message?: string }>('/admin', { action: 'database.getDocument', collectionName: C, query: JSON.stringify({ location: { $geoWithin: { $box: [[0, 0], [10, 10]] } } }) });
    expect(box.body).toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR', message: expect.stringContaining('$box') });
    const legacy = await emulator.post<{ code?: string; message?: string }>('/admin', { action: 'database.getDocument', collectionName: C, query: JSON.stringify({ location: { $near: [0, 0] } }) });
    expect(legacy.body).toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR', message: expect.stringContaining('legacy coordinate pairs') });
  });
});

describe('_.geoWithin', () => {
  const box = (w: number, s: number, e: number, n: number) => {
    const { Point, LineString, Polygon } = db.Geo;
    return Polygon([LineString([Point(w, s), Point(e, s), Point(e, n), Point(w, n), Point(w, s)])]);
  };

  it('returns the points inside a Polygon', async () => {
    const _ = db.command;
    // A box over the Yangtze delta: 119–122.5° E, 29.5–32° N holds Shanghai and Hangzhou only.
    const { data } = (await db.collection(C).where({ location: _.geoWithin({ geometry: box(119, 29.5, 122.5, 32) }) }).get()) as { data: Doc[] };
    expect(sorted(names(data))).toEqual(['hangzhou', 'shanghai']);
  });

  it('returns the points inside any polygon of a MultiPolygon', async () => {
    const _ = db.command;
    const geometry = db.Geo.MultiPolygon([box(119, 29.5, 122.5, 32), box(112.5, 22, 114.5, 24)]);
    const { data } = (await db.collection(C).where({ location: _.geoWithin({ geometry }) }).get()) as { data: Doc[] };
    expect(sorted(names(data))).toEqual(['guangzhou', 'hangzhou', 'shanghai', 'shenzhen']);
  });

  it('returns the points within a centerSphere radius given in radians (distance / 6378.1 km, CloudBase docs)', async () => {
    const _ = db.command;
    const radiusKm = 200;
    const { data } = (await db.collection(C).where({ location: _.geoWithin(centerSphere(CITIES.shanghai!, radiusKm / 6378.1)) }).get()) as { data: Doc[] };
    const expected = Object.keys(CITIES).filter((name) => haversine(CITIES.shanghai!, CITIES[name]!) <= radiusKm * 1000);
    expect(sorted(names(data))).toEqual(sorted(expected));
    expect(expected).toEqual(['shanghai', 'hangzhou']);
  });

  it('counts, updates and removes by a geo query', async () => {
    const _ = db.command;
    await db.createCollection('geo_writes');
    await db.collection('geo_writes').add({ data: Object.entries(CITIES).map(([name, [lng, lat]]) => ({ _id: name, location: db.Geo.Point(lng, lat) })) });
    const south = { location: _.geoWithin({ geometry: box(112.5, 22, 114.5, 24) }) };
    expect(await total(db.collection('geo_writes').where(south))).toBe(2);
    expect(((await db.collection('geo_writes').where(south).update({ data: { region: 'south' } })) as { stats: { updated: number } }).stats.updated).toBe(2);
    expect(sorted(names(((await db.collection('geo_writes').where({ region: 'south' }).get()) as { data: Doc[] }).data))).toEqual(['guangzhou', 'shenzhen']);
    expect(((await db.collection('geo_writes').where(south).remove()) as { stats: { removed: number } }).stats.removed).toBe(2);
    expect(await total(db.collection('geo_writes'))).toBe(Object.keys(CITIES).length - 2);
  });
});

describe('_.geoIntersects', () => {
  it('matches stored lines and polygons that share a point with the query geometry', async () => {
    const _ = db.command;
    const { Point, LineString, Polygon } = db.Geo;
    await db.createCollection('geo_areas');
    await db.collection('geo_areas').add({
      data: [
        // A straight line from (0, 0) to (10, 10) crosses the box 4–6 × 4–6; the box 20–22 is far away.
        { _id: 'route', shape: LineString([Point(0, 0), Point(10, 10)]) },
        { _id: 'park', shape: Polygon([LineString([Point(20, 20), Point(22, 20), Point(22, 22), Point(20, 22), Point(20, 20)])]) },
        { _id: 'pin', shape: Point(30, 30) },
      ],
    });
    const hit = async (geometry: unknown) => sorted(names(((await db.collection('geo_areas').where({ shape: _.geoIntersects({ geometry } as never) }).get()) as { data: Doc[] }).data));
    expect(await hit(Polygon([LineString([Point(4, 4), Point(6, 4), Point(6, 6), Point(4, 6), Point(4, 4)])]))).toEqual(['route']);
    expect(await hit(Point(21, 21))).toEqual(['park']);
    expect(await hit(LineString([Point(21, 19), Point(21, 23)]))).toEqual(['park']);
    expect(await hit(Point(30, 30))).toEqual(['pin']);
    expect(await hit(Point(50, 50))).toEqual([]);
  });
});

describe('aggregate().geoNear()', () => {
  it('outputs documents nearest first with the great-circle distance in metres in distanceField', async () => {
    const [lng, lat] = CITIES.beijing!;
    const { list } = (await db.collection(C).aggregate().geoNear({ near: db.Geo.Point(lng, lat), spherical: true, distanceField: 'dist', query: { kind: 'city' }, key: 'location' }).end()) as { list: Doc[] };
    expect(names(list)).toEqual(expectedNear(CITIES.beijing!, 0, Infinity));
    for (const doc of list) expect(doc.dist).toBeCloseTo(haversine(CITIES.beijing!, CITIES[doc._id]!), 0);
  });

  it('applies maxDistance, minDistance, query (with db.command), distanceMultiplier, includeLocs and a dotted distanceField', async () => {
    const _ = db.command;
    const [lng, lat] = CITIES.shanghai!;
    const { list } = (await db
      .collection(C)
      .aggregate()
      .geoNear({ near: db.Geo.Point(lng, lat), spherical: true, minDistance: 1, maxDistance: 1_300_000, query: { _id: _.neq('tianjin') }, distanceMultiplier: 0.001, distanceField: 'calc.km', includeLocs: 'calc.loc' })
      .project({ calc: 1 })
      .end()) as { list: Doc[] };
    const expected = expectedNear(CITIES.shanghai!, 1, 1_300_000).filter((n) => n !== 'tianjin');
    expect(names(list)).toEqual(expected);
    const beijing = list.find((d) => d._id === 'beijing')!;
    expect(beijing.calc.km).toBeCloseTo(haversine(CITIES.shanghai!, CITIES.beijing!) / 1000, 3);
    expect(beijing.calc.loc).toEqual({ type: 'Point', coordinates: CITIES.beijing });
  });

  it('finds the one geo field itself when key is omitted, and works with $match geoWithin after it', async () => {
    const _ = db.command;
    const [lng, lat] = CITIES.guangzhou!;
    const { list } = (await db
      .collection(C)
      .aggregate()
      .geoNear({ near: db.Geo.Point(lng, lat), spherical: true, distanceField: 'd' })
      .match({ location: _.geoWithin(centerSphere(CITIES.guangzhou!, 300 / 6378.1)) })
      .end()) as { list: Doc[] };
    expect(names(list)).toEqual(expectedNear(CITIES.guangzhou!, 0, 300_000));
  });
});

describe('distances to the last digit, as MongoDB computes them', () => {
  // MongoDB (mongodb/mongo): geoparser.cpp coordToPoint makes S2LatLng::FromDegrees(lat, lng).ToPoint(),
  // the unit vector (cos lat·cos lng, cos lat·sin lng, sin lat) with S1Angle::Degrees(d) = d·(π/180);
  // shapes.cpp S2Distance::distanceRad is S1Angle(a, b) = atan2(|a×b|, a·b) (Vector3::Angle);
  // geometry_container.cpp minDistance multiplies by kRadiusOfEarthInMeters = 6378.1 * 1000 (geoconstants.h).
  const unit = ([lng, lat]: LngLat) => {
    const phi = lat * (Math.PI / 180);
    const theta = lng * (Math.PI / 180);
    return [Math.cos(theta) * Math.cos(phi), Math.sin(theta) * Math.cos(phi), Math.sin(phi)] as const;
  };
  const s2Radians = (from: LngLat, to: LngLat) => {
    const [a, b] = [unit(from), unit(to)];
    const cross = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
    return Math.atan2(Math.sqrt(cross[0]! * cross[0]! + cross[1]! * cross[1]! + cross[2]! * cross[2]!), a[0] * b[0] + a[1] * b[1] + a[2] * b[2]);
  };
  const s2Metres = (from: LngLat, to: LngLat) => s2Radians(from, to) * (6378.1 * 1000);
  /** The neighbouring doubles of a positive x. */
  const step = (x: number, by: 1 | -1) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    view.setBigUint64(0, view.getBigUint64(0) + BigInt(by));
    return view.getFloat64(0);
  };

  const center: LngLat = [113.3089506, 23.0968251];
  const far: LngLat = [113.306789, 23.1564721];
  const exact = s2Metres(center, far);
  const G = 'geo_exact';

  beforeAll(async () => {
    await db.createCollection(G);
    await db.collection(G).add({ data: { _id: 'far', location: db.Geo.Point(...far) } });
  });

  it('gives MongoDB\'s own figure for the pair (issue 25: MongoDB answers 6643.521654040738 m; haversine gives 6643.521654041205)', () => {
    expect(exact).toBe(6643.521654040738);
  });

  it('puts that distance in $geoNear\'s distanceField exactly', async () => {
    const { list } = (await db.collection(G).aggregate().geoNear({ near: db.Geo.Point(...center), spherical: true, distanceField: 'd' }).end()) as { list: Doc[] };
    expect(list.map((d) => d.d)).toEqual([exact]);
  });

  it('uses the same distance for $nearSphere and $near bounds: a document exactly at maxDistance or minDistance is in, one double beyond is out', async () => {
    const _ = db.command;
    const near = async (range: { maxDistance?: number; minDistance?: number }) => names(((await db.collection(G).where({ location: _.geoNear({ geometry: db.Geo.Point(...center), ...range }) }).get()) as { data: Doc[] }).data);
    expect(await near({ maxDistance: exact })).toEqual(['far']);
    expect(await near({ maxDistance: step(exact, -1) })).toEqual([]);
    expect(await near({ minDistance: exact })).toEqual(['far']);
    expect(await near({ minDistance: step(exact, 1) })).toEqual([]);
    const raw = async (max: number) => {
      const query = JSON.stringify({ location: { $near: { $geometry: { type: 'Point', coordinates: center }, $maxDistance: max } } });
      return (await emulator.post<{ data: { list: string[] } }>('/admin', { action: 'database.getDocument', collectionName: G, query })).body.data.list.length;
    };
    expect([await raw(exact), await raw(step(exact, -1))]).toEqual([1, 0]);
  });

  it('measures $centerSphere caps on the same sphere (the cap\'s angle against atan2(|a×b|, a·b))', async () => {
    const _ = db.command;
    // MongoDB tests the point's S2 leaf cell (about 1 cm) against the cap, so the margins here are 6 cm.
    const within = async (radians: number) => total(db.collection(G).where({ location: _.geoWithin(centerSphere(center, radians)) }));
    expect(await within(s2Radians(center, far) + 1e-8)).toBe(1);
    expect(await within(s2Radians(center, far) - 1e-8)).toBe(0);
  });

  it('measures a line by its nearest point (S2Polyline::Project): one degree of arc from a meridian segment', async () => {
    await db.createCollection('geo_exact_line');
    await db.collection('geo_exact_line').add({ data: { _id: 'meridian', path: db.Geo.LineString([db.Geo.Point(10, -5), db.Geo.Point(10, 5)]) } });
    const { list } = (await db.collection('geo_exact_line').aggregate().geoNear({ near: db.Geo.Point(11, 0), spherical: true, distanceField: 'd' }).end()) as { list: Doc[] };
    // The nearest point of the meridian lng = 10 to (11, 0) on the equator is (10, 0).
    expect(list[0]!.d).toBeCloseTo(s2Metres([11, 0], [10, 0]), 6);
  });
});

describe('bad geo input', () => {
  const writes = () => storeWrites(emulator);
  const raw = (body: Record<string, unknown>) => emulator.post<{ code?: string; message?: string }>('/admin', body);

  it('refuses a negative maxDistance or centerSphere radius with a message naming it, and writes nothing', async () => {
    const _ = db.command;
    const before = await writes();
    await expect(db.collection(C).where({ location: _.geoNear({ geometry: db.Geo.Point(0, 0), maxDistance: -1 }) }).get()).rejects.toMatchObject({ errMsg: expect.stringMatching(/maxDistance must be a non-negative/) });
    await expect(db.collection(C).where({ location: _.geoWithin(centerSphere([0, 0], -0.1)) }).remove()).rejects.toMatchObject({ errMsg: expect.stringMatching(/centerSphere radius must be a non-negative/) });
    expect(await writes()).toBe(before);
    expect(await total(db.collection(C))).toBe(Object.keys(CITIES).length);
  });

  it('refuses geometries that are not valid GeoJSON (MongoDB manual, GeoJSON Objects) with DATABASE_REQUEST_FAILED', async () => {
    const query = (geometry: unknown) => JSON.stringify({ location: { $geoWithin: { $geometry: geometry } } });
    const open = await raw({ action: 'database.getDocument', collectionName: C, query: query({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }) });
    expect(open.body).toMatchObject({ code: 'DATABASE_REQUEST_FAILED', message: expect.stringMatching(/ring is not closed/) });
    const short = await raw({ action: 'database.getDocument', collectionName: C, query: query({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] }) });
    expect(short.body).toMatchObject({ code: 'DATABASE_REQUEST_FAILED', message: expect.stringMatching(/at least 4/) });
    const unknown = await raw({ action: 'database.getDocument', collectionName: C, query: query({ type: 'Circle', coordinates: [0, 0] }) });
    expect(unknown.body).toMatchObject({ code: 'DATABASE_REQUEST_FAILED', message: expect.stringMatching(/unknown GeoJSON type: "Circle"/) });
    const outOfRange = await raw({ action: 'database.getDocument', collectionName: C, query: JSON.stringify({ location: { $geoIntersects: { $geometry: { type: 'Point', coordinates: [200, 0] } } } }) });
    expect(outOfRange.body).toMatchObject({ code: 'DATABASE_REQUEST_FAILED', message: expect.stringMatching(/out of bounds/) });
    const point = await raw({ action: 'database.getDocument', collectionName: C, query: query({ type: 'Point', coordinates: [0, 0] }) });
    expect(point.body).toMatchObject({ code: 'DATABASE_REQUEST_FAILED', message: expect.stringMatching(/must be a Polygon or MultiPolygon/) });
  });

  it('refuses $nearSphere inside $or, as MongoDB does ("not allowed in this context")', async () => {
    const _ = db.command;
    const query = _.or([{ location: _.geoNear({ geometry: db.Geo.Point(0, 0) }) }, { kind: 'city' }]);
    await expect(db.collection(C).where(query).get()).rejects.toMatchObject({ errMsg: expect.stringMatching(/\$near, and \$nearSphere are not allowed in this context/) });
  });

  it('refuses geoNear that is not the first stage or lacks distanceField (MongoDB manual, $geoNear)', async () => {
    const near = db.Geo.Point(116.4, 39.9);
    await expect(db.collection(C).aggregate().match({ kind: 'city' }).geoNear({ near, spherical: true, distanceField: 'd' }).end()).rejects.toMatchObject({ errMsg: expect.stringMatching(/only valid as the first stage/) });
    await expect(db.collection(C).aggregate().geoNear({ near, spherical: true } as never).end()).rejects.toMatchObject({ errMsg: expect.stringMatching(/requires a distanceField/) });
  });

  it('refuses geoNear without key when two fields hold geometries, naming them', async () => {
    await db.createCollection('geo_two_fields');
    await db.collection('geo_two_fields').add({ data: { home: db.Geo.Point(1, 1), work: db.Geo.Point(2, 2) } });
    await expect(db.collection('geo_two_fields').aggregate().geoNear({ near: db.Geo.Point(0, 0), spherical: true, distanceField: 'd' }).end()).rejects.toMatchObject({ errMsg: expect.stringMatching(/more than one.*home, work/) });
    const { list } = (await db.collection('geo_two_fields').aggregate().geoNear({ near: db.Geo.Point(0, 0), spherical: true, distanceField: 'd', key: 'work' }).end()) as { list: Doc[] };
    expect(list[0]!.d).toBeCloseTo(haversine([0, 0], [2, 2]), 0);
  });

  it('keeps serving after bad geo input', async () => {
    expect(await total(db.collection(C))).toBe(Object.keys(CITIES).length);
  });
});
