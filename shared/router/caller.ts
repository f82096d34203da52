// Who is calling and what triggered the run, decided only from what the platform injects into the
// function's environment (read through shared/platform.ts). The event is whatever the caller sent
// and never decides either: a mini-program user who sends an event shaped like an HTTP request is
// still that user.
//
// What CloudBase injects, by trigger (sources below):
// - mini-program (wx.cloud.callFunction): getWXContext() OPENID, APPID, (UNIONID), CLIENTIP /
//   CLIENTIPV6, SOURCE `wx_client` (`wx_devtools`, `wx_localdebug` from the IDE, `wx_crawler`).
// - timer trigger: SOURCE `wx_trigger`, no OPENID.
// - function → function: the caller's context with `scf` appended to SOURCE (`wx_client,scf`).
// - HTTP access (HTTP 访问服务): the event is the "integrated request" {path, httpMethod, headers,
//   queryStringParameters, requestContext {requestId, envId, appId, uin}, body, isBase64Encoded};
//   there is no WeChat user (OPENID empty). The request context CloudBase's gateway adds is listed in
//   TCB_CONTEXT_KEYS; its TCB_SOURCE_IP is the client address the gateway saw (what
//   @cloudbase/node-sdk's auth().getClientIP() returns). The SOURCE value of an HTTP-access run is
//   not documented, so it decides nothing here.
// Sources: https://developers.weixin.qq.com/miniprogram/dev/wxcloudservice/wxcloud/reference-sdk-api/utils/Cloud.getWXContext.html
// (fields and SOURCE values); https://docs.cloudbase.net/service/access-cloud-function and
// https://cloud.tencent.com/document/product/876/41776 (integrated request, no WeChat identity);
// @cloudbase/node-sdk 3.17.2 as bundled by wx-server-sdk 4.0.2: dist/utils/tcbcontext.js
// (getCloudbaseContext reads TCB_CONTEXT_KEYS) and dist/auth/index.js (getClientIP = TCB_SOURCE_IP).
//
// So: a WeChat user context makes a user (or, broken, an anonymous caller); SOURCE ending in
// wx_trigger makes the timer; the gateway's request context without a WeChat user makes an HTTP
// caller, whose only identity is a verified token and whose address is TCB_SOURCE_IP, never a
// header; nothing of the kind makes a trusted server-side caller (tcb CLI, console, a function).
// Should a platform ever omit the gateway context on HTTP access, the request would fail closed:
// a server caller whose event names no handler gets UNKNOWN_ACTION.
import { AppError } from '../errors/app-error';
import type { PlatformContext } from '../platform';

export type Caller =
  | { kind: 'user'; openid: string; appid?: string; unionid?: string; clientIp?: string; source: string }
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

export function resolveCaller(platform: PlatformContext): Caller {
  const ctx = platform.wx as Record<string, unknown>;
  const source = String(ctx.SOURCE ?? '');
  const chain = source.split(',').map((s) => s.trim());
  const openid = text(ctx.OPENID);
  if (openid) {
    return { kind: 'user', openid, source, clientIp: text(ctx.CLIENTIP) ?? text(ctx.CLIENTIPV6), appid: text(ctx.APPID), unionid: text(ctx.UNIONID) };
  }
  // A client source without an OPENID is a broken client context, not a trusted server.
  if (chain.some((s) => CLIENT_SOURCES.includes(s))) return { kind: 'anonymous', source };
  // The last link is what started this run: `wx_trigger,scf` is a function called by a timer run.
  if (chain[chain.length - 1] === 'wx_trigger') return { kind: 'timer', source };
  if (platform.gateway) return { kind: 'http', source, clientIp: platform.gateway.sourceIp };
  return { kind: 'server', source };
}
