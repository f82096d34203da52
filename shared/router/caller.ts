// Who is calling, decided first and only from what the platform injects into the function's
// environment (read through shared/platform.ts); then, for a run with no end user at all, what
// started it. The event is whatever the caller sent: it never makes anyone a user, never hides a
// user, and never lifts a caller above what its context allows (it can only pick, for a context
// with no end user, the timer's handler or the HTTP routes).
//
// The rules, least privilege first, each with its source:
// 1. WeChat end user: getWXContext().OPENID non-empty → `user` (mini-program, wx.cloud.callFunction).
//    getWXContext() carries OPENID, APPID, UNIONID, CLIENTIP / CLIENTIPV6 and SOURCE (`wx_client`,
//    `wx_devtools`, …); a function called by a function keeps the caller's context and appends
//    `scf` to SOURCE. Source: developers.weixin.qq.com/miniprogram/dev/wxcloudservice/wxcloud/
//    reference-sdk-api/utils/Cloud.getWXContext.html; wx-server-sdk 4.0.2 index.js getWXContext
//    (the keys WX_CONTEXT_KEYS lists, WX_ prefix dropped).
// 2. A client SOURCE (wx_client, …) without an OPENID is a broken client context → `anonymous`.
// 3. CloudBase end user (web: @cloudbase/js-sdk with anonymous, custom or other login): any of
//    TCB_UUID, TCB_CUSTOM_USER_ID, TCB_ISANONYMOUS_USER=true, LOGINTYPE, QQ_OPENID → `webUser`.
//    Source: docs.cloudbase.net/api-reference/server/node-sdk/auth (getUserInfo: uid "用户唯一 ID",
//    customUserId, openId empty when not a WeChat login); @cloudbase/node-sdk 3.17.2 (as bundled by
//    wx-server-sdk) dist/auth/index.js getUserInfo / getEndUserInfo / getAuthContext, read through
//    dist/utils/tcbcontext.js getCloudbaseContext (TCB_CONTEXT_KEYS, LOGINTYPE). No handler of
//    this backend grants a web user anything: its users are mini-program users.
// 4. No end user of any kind is what makes a trusted caller. node-sdk draws the same line:
//    dist/storage/index.js getFileAuthority refuses with "admin do not need getCosFileAuthority"
//    exactly when getUserInfo() has neither openId nor uid. Among such runs:
//    - SOURCE's last link `wx_trigger` → `timer` (WeChat documents wx_trigger for timer runs; the
//      last link is what started this run: `wx_trigger,scf` is a function a timer run called);
//    - the gateway's request context (TCB_CONTEXT_KEYS lists TCB_SOURCE_IP, node-sdk
//      auth().getClientIP()) → `http`;
//    - an event that is the documented integrated request {path, httpMethod, headers, …,
//      requestContext, body, isBase64Encoded} → `http` (docs.cloudbase.net/service/
//      access-cloud-function; cloud.tencent.com/document/product/876/41776). HTTP access carries
//      no end user, so its only identity is a verified Bearer token;
//    - anything else → `server` (tcb fn invoke, the console, a function with no end user). A
//      server caller whose event is the documented timer event {Type: "Timer", TriggerName}
//      runs that trigger's handler (create-router.ts): CloudBase documents the event, not that a
//      trigger made by the tcb CLI sets SOURCE (node-sdk dist/utils/tcbapirequester.js: "云函数被
//      调用时可能调用端未传递 SOURCE"). The same holds for a run marked HTTP by the gateway keys alone
//      whose event is a timer event and not the integrated request the gateway always sends.
// Client address: only what the platform supplies: CLIENTIP / CLIENTIPV6 (WeChat context) and
// TCB_SOURCE_IP (CloudBase context). The integrated request's documented requestContext holds
// requestId, envId, appId and uin, no address; its headers (X-Forwarded-For, X-Real-IP) are the
// client's own and are never read.
import { AppError } from '../errors/app-error';
import type { PlatformContext } from '../platform';

export type Caller =
  | { kind: 'user'; openid: string; appid?: string; unionid?: string; clientIp?: string; source: string }
  | { kind: 'webUser'; uid?: string; customUserId?: string; isAnonymous: boolean; loginType?: string; clientIp?: string; source: string }
  | { kind: 'timer'; source: string }
  | { kind: 'server'; source: string }
  | { kind: 'http'; clientIp?: string; source: string }
  | { kind: 'anonymous'; source: string };

export type CallerKind = Caller['kind'];
export type UserCaller = Extract<Caller, { kind: 'user' }>;

/** The end user behind a handler that only users may call (the router has already checked). */
export function endUser(caller: Caller): UserCaller {
  if (caller.kind !== 'user') throw new AppError('UNAUTHORIZED', 'this operation needs a signed-in mini-program user');
  return caller;
}

const CLIENT_SOURCES = ['wx_client', 'wx_devtools', 'wx_localdebug', 'wx_crawler'];

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** The documented integrated request of HTTP access (the shape only: it proves nothing about who sent it). */
export function isIntegratedRequest(event: unknown): boolean {
  const e = event as Record<string, unknown> | null;
  return typeof e === 'object' && e !== null && !Array.isArray(e) && typeof e.path === 'string' && typeof e.httpMethod === 'string';
}

/**
 * The documented timer event {Type: "Timer", TriggerName, Time}: its trigger's name, or undefined.
 * Type is compared case-insensitively: Tencent SCF's timer page writes "Timer", the serverless
 * framework's Tencent page "timer" (tencentcloud.com/document/product/583/31439).
 */
export function timerTriggerName(event: unknown): string | undefined {
  const e = event as Record<string, unknown> | null;
  return typeof e === 'object' && e !== null && typeof e.Type === 'string' && e.Type.toLowerCase() === 'timer' && typeof e.TriggerName === 'string' ? e.TriggerName : undefined;
}

export function resolveCaller(platform: PlatformContext, event?: unknown): Caller {
  const ctx = platform.wx as Record<string, unknown>;
  const tcb = platform.cloudbase;
  const source = String(ctx.SOURCE ?? '');
  const chain = source.split(',').map((s) => s.trim());
  const openid = text(ctx.OPENID);
  const clientIp = text(ctx.CLIENTIP) ?? text(ctx.CLIENTIPV6) ?? tcb.sourceIp;
  if (openid) return { kind: 'user', openid, source, clientIp, appid: text(ctx.APPID), unionid: text(ctx.UNIONID) };
  if (chain.some((s) => CLIENT_SOURCES.includes(s))) return { kind: 'anonymous', source };
  if (tcb.uid || tcb.customUserId || tcb.isAnonymous || tcb.loginType || tcb.qqOpenid) {
    return { kind: 'webUser', uid: tcb.uid, customUserId: tcb.customUserId, isAnonymous: tcb.isAnonymous, loginType: tcb.loginType, clientIp, source };
  }
  if (chain[chain.length - 1] === 'wx_trigger') return { kind: 'timer', source };
  if (tcb.contextKeys.includes('TCB_SOURCE_IP') || isIntegratedRequest(event)) return { kind: 'http', source, clientIp: tcb.sourceIp };
  return { kind: 'server', source };
}
