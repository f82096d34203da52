// Who is calling, decided only from trusted sources: the WeChat context CloudBase injects and the
// shape of the platform event. Never from the payload.
import { AppError } from '../errors/app-error';
import type { WXContext } from '../platform';

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

export function isTimerEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && String((event as { Type?: unknown }).Type ?? '').toLowerCase() === 'timer';
}

export function isHttpEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && typeof (event as { httpMethod?: unknown }).httpMethod === 'string';
}

export function resolveCaller(wx: WXContext, event: unknown): Caller {
  const ctx = wx as Record<string, unknown>;
  const source = String(ctx.SOURCE ?? '');
  const openid = typeof ctx.OPENID === 'string' && ctx.OPENID !== '' ? ctx.OPENID : undefined;
  const clientIp = typeof ctx.CLIENTIP === 'string' ? ctx.CLIENTIP : undefined;
  if (isHttpEvent(event)) return { kind: 'http', source, clientIp };
  if (openid) {
    return { kind: 'user', openid, source, clientIp, appid: ctx.APPID === undefined ? undefined : String(ctx.APPID), unionid: typeof ctx.UNIONID === 'string' ? ctx.UNIONID : undefined };
  }
  const chain = source.split(',').map((s) => s.trim());
  if (chain.includes('wx_trigger') && isTimerEvent(event)) return { kind: 'timer', source };
  // A client source without an OPENID is a broken client context, not a trusted server.
  if (chain.some((s) => CLIENT_SOURCES.includes(s))) return { kind: 'anonymous', source };
  return { kind: 'server', source };
}

/** For payload fields that name a user (openid/uid/user_id): an end user may only name themself. */
export function isPrivileged(caller: Caller): boolean {
  return caller.kind === 'server' || caller.kind === 'timer';
}
