// Tencent Cloud API 3.0 at the emulator: POST / on <service>.tencentcloudapi.com with X-TC-Action
// and a JSON body, TC3-HMAC-SHA256 signed; answers {"Response":{..., "RequestId"}} or
// {"Response":{"RequestId","Error":{"Code","Message"}}}. Every request is logged.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readBody, sendJson } from '../http/http-utils';
import { parseJsonText } from '../http/json-request';
import { CloudApiError, type ActionHandler } from '../lib/api3-action';
import type { ApiLog } from '../runner/ports';
import { verifyTc3 } from './tc3-signature';
import { ownEntry } from '../lib/own-entry';
import type { Diagnostics } from '../lib/output-sinks';
import { terminalSafe } from '../lib/terminal-text';

/** Above SCF's 20 MB inline ZipFile once base64-encoded. */
const API_BODY_LIMIT = 30 * 1024 * 1024;

export interface Api3Options<D> {
  services: Record<string, Record<string, ActionHandler<D>>>;
  deps: D;
  key: () => { secretId: string; secretKey: string };
  log: ApiLog;
  diagnostics: Diagnostics;
}

/** What the log keeps of a request's parameters: inline code is replaced by its size. */
function loggable(params: Record<string, unknown>): Record<string, unknown> {
  const code = params.Code as Record<string, unknown> | undefined;
  if (typeof code?.ZipFile === 'string') return { ...params, Code: { ...code, ZipFile: `<${code.ZipFile.length} base64 characters>` } };
  return params;
}

export async function handleApi3<D>(req: IncomingMessage, res: ServerResponse, host: string, options: Api3Options<D>): Promise<void> {
  const requestId = randomUUID();
  const started = performance.now();
  const service = host.split('.')[0] ?? '';
  const action = String(req.headers['x-tc-action'] ?? '');
  let params: Record<string, unknown> = {};
  const answer = (body: Record<string, unknown>, error?: CloudApiError) => {
    sendJson(res, 200, { Response: { ...body, RequestId: requestId } }, { 'x-tc-requestid': requestId });
    const result = error ? undefined : Object.keys(body).length ? summarize(body) : undefined;
    options.log.add({
      id: requestId, kind: 'cloud-api', function: service, eventName: action || '(no action)', caller: 'tcb_cli', source: 'cloud-api',
      startedAt: new Date().toISOString(), durationMs: performance.now() - started, dbCalls: 0, dbRoundTrips: 0,
      outcome: error ? 'error' : 'ok', error: error ? `${error.code}: ${error.message}` : undefined, event: loggable(params), result,
    });
  };
  try {
    if (req.method !== 'POST') throw new CloudApiError('UnsupportedProtocol', `The emulator's cloud API answers POST requests only, not ${req.method}.`);
    let body: Buffer;
    try {
      body = await readBody(req, API_BODY_LIMIT);
    } catch (err) {
      if (err instanceof HttpError) throw new CloudApiError('RequestSizeLimitExceeded', `The request body exceeds ${API_BODY_LIMIT} bytes.`);
      throw err;
    }
    const url = new URL(req.url ?? '/', `https://${host}`);
    verifyTc3({ method: 'POST', path: url.pathname, query: url.search.slice(1), headers: req.headers, body }, service, options.key(), Math.floor(Date.now() / 1000));
    let parsed: unknown;
    try {
      // The emulator's one depth limit (http/json-request.ts), counted on the text before parsing.
      parsed = parseJsonText(body.toString('utf8') || '{}');
    } catch (err) {
      throw new CloudApiError('InvalidParameter', `The request body must be a JSON object (${(err as Error).message}).`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CloudApiError('InvalidParameter', 'The request body must be a JSON object.');
    params = parsed as Record<string, unknown>;
    const actions = ownEntry(options.services, service);
    const handler = actions && ownEntry(actions, action);
    if (!handler) throw new CloudApiError('InvalidAction', `The emulator does not support the action ${service}:${action || '(none)'}.`);
    answer(await handler(params, options.deps));
  } catch (err) {
    // The client went away mid-request (or its tunnel timed out): nobody to answer.
    if (res.destroyed || req.socket.destroyed) return;
    if (!(err instanceof CloudApiError)) {
      options.diagnostics.error(`[cloud-api] ${terminalSafe(`${service}:${action}`)} failed`, err);
      return answer({ Error: { Code: 'InternalError', Message: 'internal emulator error' } }, new CloudApiError('InternalError', (err as Error).message));
    }
    answer({ Error: { Code: err.code, Message: err.message } }, err);
  }
}

/** Short result for the log (an Invoke's result keeps its RetMsg). */
function summarize(body: Record<string, unknown>): unknown {
  const text = JSON.stringify(body);
  return text.length > 4000 ? `${text.slice(0, 4000)}…` : body;
}
