// One way to name and find a route, for the server's table of services and the JSON API tables
// alike: a method list and a path (exact, or a pattern over the whole path). The path's groups are
// percent-decoded here, once, for every route.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodePathSegment } from './request-url';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/** What a route gets besides the request: the URL, and its path's groups decoded (undefined where not valid percent-encoding) and raw. */
export interface Found {
  url: URL;
  params: Array<string | undefined>;
  /** The groups as sent; undefined for an optional group that did not take part. */
  raw: Array<string | undefined>;
}

export type RouteMatcher = string | RegExp | ((pathname: string) => boolean);

export interface Route {
  /** The methods it answers; every method when left out. */
  methods?: readonly Method[];
  /** The whole path, a pattern over it whose groups become `params`, or a test of it (paths known only as the emulator runs). */
  path: RouteMatcher;
  handle(req: IncomingMessage, res: ServerResponse, found: Found): Promise<void> | void;
}

/** The path's groups when `route` answers `method` on `url`, else undefined. */
export function matchRoute(route: { methods?: readonly string[]; path: RouteMatcher }, method: string | undefined, url: URL): Found | undefined {
  if (route.methods && !route.methods.includes(method ?? '')) return undefined;
  if (typeof route.path === 'string') return route.path === url.pathname ? { url, params: [], raw: [] } : undefined;
  if (typeof route.path === 'function') return route.path(url.pathname) ? { url, params: [], raw: [] } : undefined;
  const match = url.pathname.match(route.path);
  if (!match) return undefined;
  const raw = match.slice(1);
  return { url, raw, params: raw.map((group) => (group === undefined ? undefined : decodePathSegment(group))) };
}

/** The first route that answers the request, with what it found. */
export function findRoute<R extends { methods?: readonly string[]; path: RouteMatcher }>(routes: readonly R[], method: string | undefined, url: URL): [R, Found] | undefined {
  for (const route of routes) {
    const found = matchRoute(route, method, url);
    if (found) return [route, found];
  }
  return undefined;
}
