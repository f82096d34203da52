// The wx.openApi action on /admin, as wx-server-sdk 4.0.2 sends cloud.openapi.<api>(data): a
// multipart form whose requestData is a protobuf CommApiData, answered with a protobuf
// CommOpenApiResp (HTTP 200, application/octet-stream). Failures come back in the shapes the SDK
// decodes (index.js callGeneralOpenAPI and generic.ts callWXOpenAPI):
// - the request itself is unusable (not a form, no requestData, bytes that are not CommApiData):
//   CloudBase's JSON {code, message} with content-type exactly `application/json; charset=utf-8`,
//   which the SDK throws as TCB_ERR_CODE[code] (INVALID_PARAM -501007, SYS_ERR -501001);
// - the platform refuses the call (API not found, no permission, illegal source, timeout): a
//   CommOpenApiResp whose errorCode the SDK throws as errCode "system error: error code: N";
// - WeChat answers an error: respData JSON {errcode, errmsg}, thrown as CloudSDKError(errcode).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { sendJson } from '../http/http-utils';
import { ownEntry } from '../lib/own-entry';
import { assertSameOrigin, RequestRefused } from '../http/json-request';
import type { InvocationRecord } from '../runner/ports';
import { FormRefused, parseOpenApiForm, readOpenApiBody } from './openapi-form';
import { API_TYPES, decodeCommApiData, encodeCommOpenApiResp, ProtocolError, type KeyValuePair } from './openapi-protocol';
import type { OpenApiHandler } from './open-apis';
import { isBinaryReply, type BinaryReply, type WechatReply } from './wechat-reply';

/** wx-server-sdk's ERR_CODE for platform-side refusals (src/config/error.config.ts). */
export const PLATFORM_ERRORS = {
  API_NOT_FOUND: -604100,
  NO_PERMISSION: -604101,
  TIMEOUT: -604102,
  SYSTEM_ERROR: -604103,
  ILLEGAL_SOURCE: -604104,
} as const;

/** Who is behind one CloudBase API request, as the runner knows it from the instance in the URL. */
export interface CloudCaller {
  functionName: string;
  /** The function's config.json permissions.openapi. */
  permissions: readonly string[];
  openid?: string;
  source: string;
  /** The run began as HTTP access: no WeChat context, so no cloud-call credentials. */
  httpAccess: boolean;
}

export interface InjectedFault {
  api: string;
  kind: 'errcode' | 'timeout' | 'system';
  errcode: number;
  remaining: number;
}

export interface OpenApiActionDeps {
  apis: Record<string, OpenApiHandler>;
  callerOf: (instanceId: string | undefined) => CloudCaller | undefined;
  takeFault: (api: string) => InjectedFault | undefined;
  /** The mini-program's AppID: a CommApiData naming another one asks for a cross-account call. */
  appid: string;
  record: (record: InvocationRecord) => void;
}

class CallRefused extends Error {
  constructor(
    readonly code: 'INVALID_PARAM' | 'INVALID_ACTION' | 'SYS_ERR',
    message: string,
  ) {
    super(message);
  }
}

type Reply = { refusedWith: number } | WechatReply | BinaryReply;

interface Outcome {
  reply: Reply;
  data?: Record<string, unknown>;
}

const isPlatformRefusal = (reply: Reply): reply is { refusedWith: number } => typeof (reply as { refusedWith?: unknown }).refusedWith === 'number';

export async function handleOpenApiAction(req: IncomingMessage, res: ServerResponse, instanceId: string | undefined, deps: OpenApiActionDeps): Promise<void> {
  const requestId = randomUUID();
  const startedAt = new Date();
  const caller = deps.callerOf(instanceId);
  let api = '(unknown)';
  let outcome: Outcome;
  try {
    const body = await readOpenApiBody(req);
    // A web page can post a form cross-site without a preflight; the SDK never sends an Origin.
    // Checked once the body is read, so that the connection stays usable.
    assertSameOrigin(req);
    const form = await parseOpenApiForm(req.headers, body);
    if (form.fields.action !== 'wx.openApi') throw new CallRefused('INVALID_ACTION', `the local emulator does not serve ${form.fields.action ? `action ${form.fields.action}` : 'a form without an action'} (cloud calls are wx.openApi)`);
    api = form.fields.apiName ?? '';
    if (!/^[A-Za-z0-9_]+(\.[A-Za-z0-9_-]+)+$/.test(api)) throw new CallRefused('INVALID_PARAM', `apiName ${JSON.stringify(api.slice(0, 100))} is not <category>.<method>`);
    const bytes = form.parts.requestData ?? (form.fields.requestData !== undefined ? Buffer.from(form.fields.requestData, 'latin1') : undefined);
    if (!bytes) throw new CallRefused('INVALID_PARAM', 'requestData is missing');
    outcome = await call(api, bytes, caller, deps);
  } catch (err) {
    if (err instanceof RequestRefused) {
      sendJson(res, err.status, { requestId, code: 'INVALID_PARAM', message: err.message });
      return deps.record(logRecord(requestId, api, caller, startedAt, 'error', err.message));
    }
    const refusal = err instanceof CallRefused ? err : err instanceof FormRefused || err instanceof ProtocolError ? new CallRefused('INVALID_PARAM', err.message) : undefined;
    if (!refusal) throw err;
    sendJson(res, 200, { requestId, code: refusal.code, message: refusal.message });
    return deps.record(logRecord(requestId, api, caller, startedAt, 'error', `${refusal.code}: ${refusal.message}`));
  }
  const { reply } = outcome;
  const body = isPlatformRefusal(reply)
    ? encodeCommOpenApiResp({ errorCode: reply.refusedWith })
    : isBinaryReply(reply)
      ? encodeCommOpenApiResp({ respData: reply.binary, contentType: reply.contentType })
      : encodeCommOpenApiResp({ respData: Buffer.from(JSON.stringify(reply)), contentType: 'application/json; charset=utf-8' });
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, 'x-request-id': requestId });
  res.end(body);
  deps.record({ ...logRecord(requestId, api, caller, startedAt, ...describeReply(reply)), event: outcome.data ? forTheLog(outcome.data) : null, result: isBinaryReply(reply) ? { contentType: reply.contentType, bytes: reply.binary.length } : reply });
}

async function call(api: string, bytes: Buffer, caller: CloudCaller | undefined, deps: OpenApiActionDeps): Promise<Outcome> {
  const request = decodeCommApiData(bytes);
  if (request.apiType !== API_TYPES.OPEN_API) {
    const name = Object.entries(API_TYPES).find(([, v]) => v === request.apiType)?.[0];
    if (!name) throw new CallRefused('INVALID_PARAM', `CommApiData.apiType ${request.apiType} is not an ApiType`);
    throw new CallRefused('SYS_ERR', `the local emulator does not serve ${name} calls (cloud.getOpenData, getVoIPSign, getCloudCallSign and cross-account tokens), only OPEN_API`);
  }
  if (request.appid && request.appid !== deps.appid) throw new CallRefused('SYS_ERR', `cloud.openapi({appid: ${JSON.stringify(request.appid)}}) is a cross-account call, which the local emulator does not serve`);
  const data = pairsToData(request.pairs);
  if (caller?.httpAccess) return { reply: { refusedWith: PLATFORM_ERRORS.ILLEGAL_SOURCE }, data };
  if (caller && !caller.permissions.includes(api)) return { reply: { refusedWith: PLATFORM_ERRORS.NO_PERMISSION }, data };
  const handler = ownEntry(deps.apis, api);
  if (!handler) return { reply: { refusedWith: PLATFORM_ERRORS.API_NOT_FOUND }, data };
  const fault = deps.takeFault(api);
  if (fault?.kind === 'timeout') return { reply: { refusedWith: PLATFORM_ERRORS.TIMEOUT }, data };
  if (fault?.kind === 'system') return { reply: { refusedWith: PLATFORM_ERRORS.SYSTEM_ERROR }, data };
  if (fault?.kind === 'errcode') return { reply: { errcode: fault.errcode, errmsg: 'injected fault rid: emulator' }, data };
  return { reply: await handler(data, { functionName: caller?.functionName, now: new Date() }), data };
}

/** Each top-level key's value is JSON (the SDK's JSONBigInt.stringify); a media parameter stays bytes. */
function pairsToData(pairs: KeyValuePair[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const pair of pairs) {
    if (pair.contenttype !== undefined || pair.filename !== undefined) {
      data[pair.key] = { contentType: pair.contenttype, filename: pair.filename, value: pair.value };
      continue;
    }
    try {
      data[pair.key] = JSON.parse(pair.value.toString('utf8'));
    } catch {
      throw new CallRefused('INVALID_PARAM', `the value of ${JSON.stringify(pair.key)} in requestData is not JSON`);
    }
  }
  return data;
}

/** A media parameter's bytes are logged as their size. */
function forTheLog(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => {
    const media = v as { value?: unknown } | null;
    return [k, media && typeof media === 'object' && Buffer.isBuffer(media.value) ? { ...media, value: `${media.value.length} bytes` } : v];
  }));
}

function describeReply(reply: Outcome['reply']): ['ok' | 'error', string | undefined] {
  if (isPlatformRefusal(reply)) return ['error', `errorCode ${reply.refusedWith}`];
  if (isBinaryReply(reply)) return ['ok', undefined];
  const errcode = Number(reply.errcode ?? 0);
  return errcode === 0 ? ['ok', undefined] : ['error', `errcode ${errcode} ${String(reply.errmsg ?? '')}`];
}

function logRecord(id: string, api: string, caller: CloudCaller | undefined, startedAt: Date, outcome: 'ok' | 'error', error: string | undefined): InvocationRecord {
  const who = caller ? `${caller.functionName}${caller.openid ? ` user:${caller.openid}` : ` ${caller.source}`}` : 'sdk outside a function';
  return {
    id,
    kind: 'cloud-call',
    function: 'openapi',
    eventName: api,
    caller: who,
    source: caller?.source ?? 'sdk',
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    dbCalls: 0,
    dbRoundTrips: 0,
    outcome,
    error,
    event: null,
  };
}
