// Who a wechat API call is about: the context openid for a mini-program caller (authoritative),
// or the user named by a valid Bearer token over HTTP.
import { verifyToken } from '../../shared/auth/tokens';
import type { HandlerContext } from '../../shared/context';
import type { UserDoc } from '../../shared/db/users';
import { AppError } from '../../shared/errors/app-error';

/** One lookup per call: a handler's authenticate step and its run share it. */
const sessions = new WeakMap<HandlerContext, Promise<UserDoc | undefined>>();

/** The session's user, or undefined when the token's user no longer exists. */
export function sessionUser(ctx: HandlerContext): Promise<UserDoc | undefined> {
  let session = sessions.get(ctx);
  if (!session) {
    session = lookUp(ctx);
    sessions.set(ctx, session);
  }
  return session;
}

async function lookUp(ctx: HandlerContext): Promise<UserDoc | undefined> {
  if (ctx.caller.kind === 'user') return ctx.users.findByOpenid(ctx.caller.openid);
  if (ctx.caller.kind !== 'http' || !ctx.request.token) throw new AppError('UNAUTHORIZED', 'missing Authorization token');
  const claims = await verifyToken(ctx.request.token, ctx.now());
  const user = await ctx.users.findById(claims.userId);
  if (user && user.tokenVersion !== claims.version) throw new AppError('UNAUTHORIZED', 'token has been revoked');
  return user;
}

/** The signed-in user, or UNAUTHORIZED: the authenticate step of routes that need a session. */
export async function requireSession(ctx: HandlerContext): Promise<UserDoc> {
  const user = await sessionUser(ctx);
  if (!user) throw new AppError('UNAUTHORIZED', 'the token user no longer exists');
  return user;
}

/**
 * The caller's address as the platform reports it: CLIENTIP for a mini-program call, the
 * gateway's TCB_SOURCE_IP over HTTP access. Never a request header.
 */
export function clientIp(ctx: HandlerContext): string | undefined {
  return ctx.caller.kind === 'user' || ctx.caller.kind === 'http' ? ctx.caller.clientIp : undefined;
}
