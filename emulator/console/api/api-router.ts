// A small route table for the console's JSON API: method + pattern → handler, JSON bodies in and
// out, errors as {error} with a status. Mutating requests go through the emulator's door
// (readJsonRequest): JSON only, the console's own origin only, bounded nesting.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, sendJson } from '../../http/http-utils';
import { assertSameOrigin, readJsonRequest, RequestRefused } from '../../http/json-request';
import { decodePathSegment } from '../../http/request-url';
import { DatabaseError } from '../../store/database-error';
import type { EmulatorContext } from '../../emulator-context';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiRequest {
  ctx: EmulatorContext;
  req: IncomingMessage;
  url: URL;
  match: RegExpMatchArray;
  body: Record<string, unknown>;
}

export type ApiRoute = [method: 'GET' | 'POST' | 'PUT' | 'DELETE', pattern: RegExp, handler: (r: ApiRequest) => Promise<unknown> | unknown];

const BODY_LIMIT = 4 * 1024 * 1024;

/** Answers the request when a route matches; false when none does. */
export async function dispatch(routes: readonly ApiRoute[], req: IncomingMessage, res: ServerResponse, url: URL, ctx: EmulatorContext): Promise<boolean> {
  for (const [method, pattern, handler] of routes) {
    const match = url.pathname.match(pattern);
    if (!match || req.method !== method) continue;
    try {
      if (method === 'DELETE') assertSameOrigin(req);
      const body = method === 'POST' || method === 'PUT' ? await readJsonBody(req) : {};
      sendJson(res, 200, await handler({ ctx, req, url, match, body }), { 'cache-control': 'no-store' });
    } catch (err) {
      const [status, message] = describe(err);
      sendJson(res, status, { error: message }, { 'cache-control': 'no-store' });
    }
    return true;
  }
  return false;
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = (await readJsonRequest(req, { limitBytes: BODY_LIMIT })) ?? {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'body must be a JSON object');
  return body as Record<string, unknown>;
}

function describe(err: unknown): [number, string] {
  if (err instanceof ApiError) return [err.status, err.message];
  if (err instanceof HttpError || err instanceof RequestRefused) return [err.status, err.message];
  if (err instanceof DatabaseError) return [err.code === 'DATABASE_COLLECTION_NOT_EXIST' ? 404 : 400, `${err.code}: ${err.message}`];
  return [500, (err as Error).message ?? String(err)];
}

export function decodeSegment(m: RegExpMatchArray, i: number): string {
  const decoded = decodePathSegment(m[i] as string);
  if (decoded === undefined) throw new ApiError(400, 'a name in the path is not valid percent-encoding');
  return decoded;
}
