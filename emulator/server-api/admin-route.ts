// POST /admin[/i/<instance>]: the CloudBase server API as wx-server-sdk calls it. Errors answer
// 200 with {code, message}, which the SDK turns into a rejected call, as the real service does.
// The body goes through the emulator's door (readJsonRequest): a request the SDK never sends
// (not JSON, from a web page, nested too deep) is refused with an HTTP status instead.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { DatabaseError } from '../store/database-error';
import type { OpenApiAction } from '../cloud-calls/ports';
import type { FunctionCalls } from '../runner/ports';
import { HttpError, sendJson } from '../http/http-utils';
import { embeddedJsonTooDeep, MAX_JSON_DEPTH, readJsonRequest, RequestRefused } from '../http/json-request';
import type { AdminStorage } from '../storage/ports';
import { DATABASE_ACTIONS, type ActionDeps } from './database-actions';
import { CodecError } from './ejson-codec';
import { ownEntry } from '../lib/own-entry';
import type { Diagnostics } from '../lib/output-sinks';

const ADMIN_BODY_LIMIT = 10 * 1024 * 1024;

export interface AdminDeps extends ActionDeps {
  runner: () => FunctionCalls;
  /** Simulated network latency per call (benchmarks use it to count sequential round trips). */
  latencyMs: number;
  /** The storage.* actions (emulator/storage/). */
  storage: AdminStorage;
  /** The wx.openApi action (cloud calls), which the SDK sends as multipart/form-data (emulator/cloud-calls/). */
  openApi: () => OpenApiAction;
  /** Where an unexpected error is reported (the SDK is told only SYS_ERR). */
  diagnostics: Diagnostics;
}

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, instanceId: string | undefined, deps: AdminDeps): Promise<void> {
  const requestId = randomUUID();
  // Counted when the headers arrive, so calls the SDK sends in parallel overlap as one round trip.
  const done = deps.runner().dbCallStarted(instanceId);
  try {
    if (deps.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, deps.latencyMs));
    await answer(req, res, requestId, instanceId, deps);
  } finally {
    done();
  }
}

async function answer(req: IncomingMessage, res: ServerResponse, requestId: string, instanceId: string | undefined, deps: AdminDeps): Promise<void> {
  const openApi = deps.openApi();
  if (openApi.accepts(req)) return openApi.handle(req, res, instanceId);
  let body: unknown;
  try {
    body = await readJsonRequest(req, { limitBytes: ADMIN_BODY_LIMIT });
  } catch (err) {
    if (err instanceof RequestRefused) return sendJson(res, err.reason === 'syntax' ? 200 : err.status, { requestId, code: 'INVALID_PARAM', message: err.message });
    throw err;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return sendJson(res, 200, { requestId, code: 'INVALID_PARAM', message: 'request body must be a JSON object' });
  }
  // The SDK sends queries, documents and events as JSON strings: the same depth limit applies to them.
  if (embeddedJsonTooDeep(body)) return sendJson(res, 200, { requestId, code: 'INVALID_PARAM', message: `a query, document or event nests deeper than ${MAX_JSON_DEPTH} levels` });
  const params = body as Record<string, unknown>;
  const action = String(params.action ?? '');
  try {
    if (action === 'functions.invokeFunction') return await invokeFunction(res, requestId, params, deps, instanceId);
    if (deps.storage.handles(action)) return sendJson(res, 200, { requestId, ...(await deps.storage.run(params)) });
    const handler = ownEntry(DATABASE_ACTIONS, action);
    if (!handler) return sendJson(res, 200, { requestId, code: 'INVALID_ACTION', message: `unknown action: ${action || '(missing)'}` });
    const result = await handler(params, deps);
    sendJson(res, 200, { requestId, ...(result.top ?? {}), ...(result.data ? { data: result.data } : {}) });
  } catch (err) {
    if (err instanceof DatabaseError) return sendJson(res, 200, { requestId, code: err.code, message: err.message });
    if (err instanceof CodecError) return sendJson(res, 200, { requestId, code: 'INVALID_PARAM', message: err.message });
    if (err instanceof HttpError) return sendJson(res, 200, { requestId, code: 'INVALID_PARAM', message: err.message });
    deps.diagnostics.error('[admin] unexpected error', err);
    sendJson(res, 200, { requestId, code: 'SYS_ERR', message: 'internal emulator error' });
  }
}

async function invokeFunction(res: ServerResponse, requestId: string, params: Record<string, unknown>, deps: AdminDeps, instanceId: string | undefined): Promise<void> {
  const name = String(params.function_name ?? '');
  const runner = deps.runner();
  if (!runner.has(name)) return sendJson(res, 200, { requestId, code: 'FUNCTIONS_EXECUTE_FAIL', message: `FunctionName parameter could not be found: ${name}` });
  const event = typeof params.request_data === 'string' ? parseEvent(params.request_data) : {};
  if (event === undefined) return sendJson(res, 200, { requestId, code: 'INVALID_PARAM', message: 'request_data is not valid JSON' });
  const outcome = await runner.invoke(name, event ?? {}, runner.chainedCaller(instanceId));
  if (!outcome.ok) return sendJson(res, 200, { requestId, code: 'FUNCTIONS_EXECUTE_FAIL', message: outcome.message });
  sendJson(res, 200, { requestId, data: { response_data: JSON.stringify(outcome.result) } });
}

function parseEvent(text: string): unknown {
  try {
    return JSON.parse(text || 'null');
  } catch {
    return undefined;
  }
}
