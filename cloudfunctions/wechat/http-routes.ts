// CloudBase HTTP access → the wechat handlers. Maps seed 004's paths to handler names; a method a
// path does not declare gets 405 with Allow. The body is handed to the router still encoded: the
// router authenticates a protected route first, then this decoder checks the media type (415),
// then the router validates the body (400). The caller (kind `http`, client address from the
// gateway's context) was decided by the router from the platform; the only identity a request
// carries is its Bearer token.
import type { RequestInfo } from '../../shared/context';
import { AppError } from '../../shared/errors/app-error';
import type { Caller } from '../../shared/router/caller';
import { EncodedInput } from '../../shared/router/create-router';
import type { WechatBody } from './envelope';
import fs from 'node:fs';
import path from 'node:path';

export interface HttpEvent {
  path: string;
  httpMethod: string;
  headers?: Record<string, string | undefined>;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Path → handler; every API path is POST only (seed 004). */
export const HTTP_ROUTES: Record<string, string> = {
  '/pb/api/system/users-count': 'usersCount',
  '/pb/api/system/refresh-token': 'refreshToken',
  '/pb/api/wechat/login': 'login',
  '/pb/api/wechat/profile': 'profile',
};
export const OPENAPI_PATH = '/pb/api/openapi.json';

type Dispatch = (name: string, input: unknown, caller: Caller, envId: string, request: RequestInfo) => Promise<unknown>;

/** Written beside the bundle by the build (see openapi.ts); read on demand so it costs no cold start. */
let openApiDocument: unknown;
const openApi = () => (openApiDocument ??= JSON.parse(fs.readFileSync(path.join(__dirname, 'openapi.json'), 'utf8')));

/** users-count takes no body (seed 004 lists no 415 for it): whatever is sent is ignored. */
const BODYLESS = new Set(['usersCount']);

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({ statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) });
const error = (code: number, msg: string, headers?: Record<string, string>) => json(code, { code, msg, data: {} }, headers);

export function isHttpEvent(event: unknown): event is HttpEvent {
  const e = event as Partial<HttpEvent> | null;
  return typeof e === 'object' && e !== null && typeof e.path === 'string' && typeof e.httpMethod === 'string';
}

function decodeBody(event: HttpEvent, contentType: string): unknown {
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  if (raw.trim() === '') return {};
  if (!/^application\/(.+\+)?json\b/i.test(contentType)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'request body must be JSON (Content-Type: application/json)');
  try {
    // A JSON null is no body at all (refresh-token's body is optional).
    return JSON.parse(raw) ?? {};
  } catch {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'request body is not valid JSON');
  }
}

export async function handleHttp(event: unknown, dispatch: Dispatch, caller: Caller, envId: string): Promise<HttpResult> {
  // The gateway always sends the integrated request; anything else is not one.
  if (!isHttpEvent(event)) return error(400, 'not an HTTP access request');
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? '']));
  const route = event.path.replace(/\/+$/, '');
  const method = event.httpMethod.toUpperCase();
  if (route === OPENAPI_PATH) return method === 'GET' ? json(200, openApi()) : error(405, `${method} is not allowed on ${route}; use GET`, { allow: 'GET' });
  const name = HTTP_ROUTES[route];
  if (!name) return error(404, `no API at ${event.path}`);
  if (method !== 'POST') return error(405, `${method} is not allowed on ${route}; use POST`, { allow: 'POST' });
  const input = BODYLESS.has(name) ? {} : new EncodedInput(() => decodeBody(event, headers['content-type'] ?? ''));
  const auth = headers.authorization?.trim();
  const token = auth ? auth.replace(/^Bearer\s+/i, '').trim() : undefined;
  const body = (await dispatch(name, input, caller, envId, { token: token || undefined })) as WechatBody;
  return json(body.code, body);
}
