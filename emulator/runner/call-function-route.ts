// POST /functions/<name>: what wx.cloud.callFunction does. X-WX-OPENID simulates the signed-in
// mini-program user; X-TCB-UUID, X-TCB-CUSTOM-USER-ID, X-TCB-ISANONYMOUS-USER (`true`) and
// X-TCB-LOGINTYPE a CloudBase web user (@cloudbase/js-sdk app.callFunction after anonymous, custom
// or other login), injected as CloudBase does (see function-runner.ts); without either the caller
// is server-side (like `tcb fn invoke`), or the client X-TCB-Source names (./client-source.ts).
// The body goes through the emulator's door (readJsonRequest): JSON only, same origin only,
// bounded nesting.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/http-utils';
import { readJsonRequest, RequestRefused } from '../http/json-request';
import { sourceRefusal } from './client-source';
import type { FunctionRunner } from './function-runner';

/** wx.cloud.callFunction's documented limit on `data`. */
export const CALL_FUNCTION_BODY_LIMIT = 100 * 1024;
/** The platform's limit on a function's return value (-604001). */
export const CALL_FUNCTION_RESULT_LIMIT = 1024 * 1024;

/**
 * `localModeOrigin`: the browser origins of the mini-program's local mode (http/cors.ts). A page of
 * such an origin may call as a mini-program user (with X-WX-OPENID), never as the trusted server side.
 */
export async function handleCallFunction(req: IncomingMessage, res: ServerResponse, name: string | undefined, runner: FunctionRunner, localModeOrigin?: (origin: string) => boolean): Promise<void> {
  const header = (n: string) => {
    const v = req.headers[n];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const openid = header('x-wx-openid');
  const webUser = openid ? undefined : webUserOf(header);
  let event: unknown;
  try {
    const allowOrigin = openid && localModeOrigin ? localModeOrigin : undefined;
    event = (await readJsonRequest(req, { limitBytes: CALL_FUNCTION_BODY_LIMIT, allowOrigin })) ?? {};
  } catch (err) {
    if (!(err instanceof RequestRefused)) throw err;
    const detail = err.status === 413 ? `data exceeds ${CALL_FUNCTION_BODY_LIMIT} bytes` : err.message;
    return sendJson(res, err.status, { errCode: -1, errMsg: `cloud.callFunction:fail ${detail}` });
  }
  if (name === undefined) return sendJson(res, 400, { errCode: -1, errMsg: 'cloud.callFunction:fail the function name in the path is not valid percent-encoding' });
  const declaredSource = header('x-tcb-source');
  const badSource = sourceRefusal(declaredSource);
  if (badSource) return sendJson(res, 400, { errCode: -1, errMsg: `cloud.callFunction:fail ${badSource}` });
  if (!runner.has(name)) return sendJson(res, 404, { errCode: -504002, errMsg: `cloud.callFunction:fail FunctionName parameter could not be found: ${name}` });
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    return sendJson(res, 400, { errCode: -1, errMsg: 'cloud.callFunction:fail the event must be a JSON object' });
  }
  const outcome = await runner.invoke(name, event, {
    openid,
    appid: openid ? (header('x-wx-appid') ?? runner.miniProgramAppid()) : undefined,
    unionid: openid ? header('x-wx-unionid') : undefined,
    clientIp: openid ? (req.socket.remoteAddress ?? undefined) : undefined,
    webUser,
    // What SOURCE a web call carries is not documented (node-sdk: the caller may pass none): none.
    source: openid ? 'wx_client' : webUser ? '' : (declaredSource ?? 'tcb_cli'),
  });
  if (outcome.ok && Buffer.byteLength(JSON.stringify(outcome.result)) > CALL_FUNCTION_RESULT_LIMIT) {
    return sendJson(res, 500, { errCode: -604001, errMsg: 'cloud.callFunction:fail -604001 cloudfunction result size exceed limit (1MB)', requestID: outcome.requestId });
  }
  if (outcome.ok) return sendJson(res, 200, { result: outcome.result, requestID: outcome.requestId });
  const errCode = outcome.kind === 'timeout' ? -504003 : -504002;
  sendJson(res, outcome.kind === 'timeout' ? 504 : 500, { errCode, errMsg: `cloud.callFunction:fail ${errCode} functions execute fail. ${outcome.message}`, requestID: outcome.requestId });
}

/** The simulated CloudBase web user, when any of its headers is present. */
function webUserOf(header: (n: string) => string | undefined): NonNullable<Parameters<FunctionRunner['invoke']>[2]['webUser']> | undefined {
  const uid = header('x-tcb-uuid');
  const customUserId = header('x-tcb-custom-user-id');
  const isAnonymous = header('x-tcb-isanonymous-user') === 'true';
  const loginType = header('x-tcb-logintype');
  if (!uid && !customUserId && !isAnonymous && !loginType) return undefined;
  return { uid, customUserId, isAnonymous, loginType };
}
