// CORS for the routes a mini-program reaches in local mode (each service declares its own, as its
// `browser` paths: service.ts), so WeChat DevTools' simulator may call them from its web view: the preflight is answered and
// responses carry Access-Control-Allow-Origin, for allowed Origins only. Allowed: loopback pages
// (http://127.0.0.1:<any port>, http://localhost:<any port>, where DevTools serves its simulator)
// and https://servicewechat.com (the origin of a mini-program's pages), plus any given. A page of
// another site gets no CORS headers, so a browser will not let it call the emulator as a user.
// Requests without an Origin (the SDK, wx.request outside a web view, curl) need no CORS.
import type { IncomingMessage, ServerResponse } from 'node:http';

const DEFAULT_ORIGINS = [/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/, /^https:\/\/servicewechat\.com$/];
const ALLOW_HEADERS = 'content-type, x-wx-openid, x-wx-appid, x-wx-unionid, authorization, x-cos-meta-fileid, x-cos-security-token, range';
const EXPOSE_HEADERS = 'etag, content-length, content-range, x-cos-request-id';

export function isAllowedOrigin(origin: string, extra: readonly string[] = []): boolean {
  return extra.includes(origin) || DEFAULT_ORIGINS.some((re) => re.test(origin));
}

/** Sets CORS headers for an allowed Origin; answers (and returns true for) a preflight. */
export function handleCors(req: IncomingMessage, res: ServerResponse, allowOrigin: (origin: string) => boolean): boolean {
  const origin = req.headers.origin;
  const allowed = typeof origin === 'string' && allowOrigin(origin);
  if (allowed) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', EXPOSE_HEADERS);
    res.setHeader('vary', 'Origin');
  }
  if (req.method !== 'OPTIONS') return false;
  if (!allowed) {
    res.writeHead(403, { 'content-length': 0 });
    res.end();
    return true;
  }
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, HEAD, POST, PUT, OPTIONS',
    'access-control-allow-headers': ALLOW_HEADERS,
    'access-control-max-age': '600',
    'content-length': 0,
  });
  res.end();
  return true;
}
