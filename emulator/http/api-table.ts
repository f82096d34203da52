// The route table of the emulator's own JSON APIs (the /_emulator control routes and the console's
// API): method + path → handler, JSON bodies in and out, errors as {error} with a status. Mutating
// requests go through the emulator's door (readJsonRequest): JSON only, the emulator's own origin
// only, bounded nesting.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, sendJson } from './http-utils';
import { assertSameOrigin, readJsonRequest, RequestRefused } from './json-request';
import { findRoute, type Found, type Method } from './routes';
import type { Diagnostics } from '../lib/output-sinks';
import { terminalSafe } from '../lib/terminal-text';

/** The one error of the emulator's own APIs: answered as {error: message} with `status`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiRequest extends Found {
  req: IncomingMessage;
  body: Record<string, unknown>;
}

export type ApiRoute = readonly [method: Method, path: string | RegExp, handle: (r: ApiRequest) => Promise<unknown> | unknown];

/** Routes by name: a service declares its table `satisfies ApiTable`, and the console UI infers every reply from it (ApiContract). */
export type ApiTable = Readonly<Record<string, ApiRoute>>;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** What a value becomes through JSON.stringify and JSON.parse. */
export type Jsonified<T> = T extends Date ? string
  : T extends Json ? T
  : T extends ReadonlyArray<infer U> ? Array<Jsonified<U>>
  : T extends (...args: never[]) => unknown ? never
  : T extends object ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: Jsonified<T[K]> }
  : T;

/** Each route's reply as the browser receives it. */
export type ApiContract<T extends ApiTable> = { [K in keyof T]: Jsonified<Awaited<ReturnType<T[K][2]>>> };

export interface ApiTableOptions {
  limitBytes: number;
  /** Headers on every answer. */
  headers?: Record<string, string>;
  /** Methods that carry a JSON body (POST alone when left out). */
  bodyMethods?: readonly Method[];
  /** An error the table itself does not know, as [status, message]; undefined: a reported 500. */
  describe?: (err: unknown) => [number, string] | undefined;
  /** Where a 500 is reported. */
  diagnostics: Diagnostics;
}

/** The decoded path group `i`; a 400 when it is not valid percent-encoding. */
export function pathParam(r: Found, i: number, what = 'a name in the path'): string {
  const value = r.params[i];
  if (value === undefined) throw new ApiError(400, `${what} is not valid percent-encoding`);
  return value;
}

/** Answers the request when a route of `routes` matches; false when none does. */
export async function serveApi(routes: readonly ApiRoute[] | ApiTable, req: IncomingMessage, res: ServerResponse, url: URL, options: ApiTableOptions): Promise<boolean> {
  const hit = findRoute(Object.values(routes).map(([method, path, handle]) => ({ methods: [method], path, handle })), req.method, url);
  if (!hit) return false;
  const [{ methods: [method], handle }, found] = hit;
  try {
    if (method === 'DELETE') assertSameOrigin(req);
    const body = (options.bodyMethods ?? ['POST']).includes(method as Method) ? await readJsonBody(req, options.limitBytes) : {};
    sendJson(res, 200, await handle({ ...found, req, body }), options.headers);
  } catch (err) {
    const [status, message] = describe(err, options, req, url);
    sendJson(res, status, { error: message }, options.headers);
  }
  return true;
}

async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<Record<string, unknown>> {
  const body = (await readJsonRequest(req, { limitBytes })) ?? {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'body must be a JSON object');
  return body as Record<string, unknown>;
}

function describe(err: unknown, options: ApiTableOptions, req: IncomingMessage, url: URL): [number, string] {
  if (err instanceof ApiError || err instanceof RequestRefused || err instanceof HttpError) return [err.status, err.message];
  const known = options.describe?.(err);
  if (known) return known;
  options.diagnostics.error(`[emulator] ${terminalSafe(`${req.method} ${url.pathname}`)} failed`, err);
  return [500, (err as Error).message ?? String(err)];
}
