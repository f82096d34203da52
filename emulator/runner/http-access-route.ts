// CloudBase HTTP access: a request on a path mapped to a function arrives as the integrated-request
// event ({path, httpMethod, headers, queryStringParameters, body, isBase64Encoded}) and the
// function's {statusCode, headers, body} becomes the response. Like CloudBase's gateway, it tells
// the function where the request came from in the gateway's request context (TCB_SOURCE_IP in
// TCB_CONTEXT_KEYS), which is also what marks the run as HTTP access; headers stay as the client
// sent them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { HttpError, readBody, sendJson } from '../http/http-utils';
import type { FunctionRunner } from './function-runner';

const HTTP_BODY_LIMIT = 6 * 1024 * 1024;

export function findHttpFunction(runner: FunctionRunner, pathname: string): string | undefined {
  for (const def of runner.definitions()) {
    for (const prefix of def.config.httpPaths) {
      if (pathname === prefix || pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) return def.name;
    }
  }
  return undefined;
}

export async function handleHttpAccess(req: IncomingMessage, res: ServerResponse, url: URL, fnName: string, runner: FunctionRunner, envId: string): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(req, HTTP_BODY_LIMIT);
  } catch (err) {
    if (err instanceof HttpError) return sendJson(res, 413, { code: 413, msg: 'request body too large', data: {} });
    throw err;
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const isText = body.length === 0 || /json|text|x-www-form-urlencoded|xml/i.test(headers['content-type'] ?? '');
  const event = {
    path: url.pathname,
    httpMethod: req.method ?? 'GET',
    headers,
    queryStringParameters: Object.fromEntries(url.searchParams),
    requestContext: { requestId: randomUUID(), envId, appId: 0, uin: 0 },
    body: isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !isText,
  };
  const outcome = await runner.invoke(fnName, event, { source: 'http', gatewaySourceIp: req.socket.remoteAddress ?? '' });
  if (!outcome.ok) return sendJson(res, 502, { errCode: -504002, errMsg: 'function execution failed', requestID: outcome.requestId });
  const result = outcome.result as { statusCode?: unknown; headers?: Record<string, string>; body?: unknown; isBase64Encoded?: boolean } | null;
  if (result && typeof result === 'object' && typeof result.statusCode === 'number') {
    const payload = typeof result.body === 'string' ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
    res.writeHead(result.statusCode, { ...(result.headers ?? {}), 'content-length': payload.length });
    return void res.end(payload);
  }
  if (typeof result === 'string' || typeof result === 'number') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    return void res.end(String(result));
  }
  sendJson(res, 200, result);
}
