// CloudBase HTTP access → the wechat handlers: maps seed 004's paths to handler names, enforces a
// JSON body (415 otherwise), takes the Bearer token and client IP, and answers the envelope with
// the HTTP status equal to its code.
import type { Caller } from '../../shared/router/caller';
import type { RequestInfo } from '../../shared/context';
import type { WechatBody } from './envelope';
import fs from 'node:fs';
import path from 'node:path';

export interface HttpEvent {
  path: string;
  httpMethod: string;
  headers?: Record<string, string | undefined>;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { sourceIp?: string };
}

export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export const HTTP_ROUTES: Record<string, string> = {
  '/pb/api/system/users-count': 'usersCount',
  '/pb/api/system/refresh-token': 'refreshToken',
  '/pb/api/wechat/login': 'login',
  '/pb/api/wechat/profile': 'profile',
};

type Dispatch = (name: string, input: unknown, caller: Caller, envId: string, request: RequestInfo) => Promise<unknown>;

/** Written beside the bundle by the build (see openapi.ts); read on demand so it costs no cold start. */
let openApiDocument: unknown;
const openApi = () => (openApiDocument ??= JSON.parse(fs.readFileSync(path.join(__dirname, 'openapi.json'), 'utf8')));

const BODYLESS = new Set(['usersCount']);

const json = (statusCode: number, body: unknown): HttpResult => ({ statusCode, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });
const error = (code: number, msg: string) => json(code, { code, msg, data: {} });

export async function handleHttp(event: HttpEvent, dispatch: Dispatch, envId: string, source: string): Promise<HttpResult> {
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? '']));
  const path = event.path.replace(/\/+$/, '');
  if (event.httpMethod === 'GET' && path === '/pb/api/openapi.json') return json(200, openApi());
  const name = HTTP_ROUTES[path];
  if (!name) return error(404, `no API at ${event.path}`);
  if (event.httpMethod !== 'POST') return error(404, `${event.httpMethod} is not supported on ${event.path}; use POST`);
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  let input: unknown = {};
  // users-count takes no body (seed 004 lists no 415 for it): whatever is sent is ignored.
  if (raw.trim() !== '' && !BODYLESS.has(name)) {
    if (!/^application\/(.+\+)?json\b/i.test(headers['content-type'] ?? '')) return error(415, 'request body must be JSON (Content-Type: application/json)');
    try {
      input = JSON.parse(raw);
    } catch {
      return error(415, 'request body is not valid JSON');
    }
  }
  const auth = headers.authorization?.trim();
  const token = auth ? auth.replace(/^Bearer\s+/i, '') : undefined;
  const clientIp = headers['x-real-ip'] || headers['x-forwarded-for']?.split(',')[0]?.trim() || event.requestContext?.sourceIp || undefined;
  const body = (await dispatch(name, input, { kind: 'http', clientIp, source }, envId, { token: token || undefined, clientIp })) as WechatBody;
  return json(body.code, body);
}
