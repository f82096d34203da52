// Who a wechat API call is about: the context openid for a mini-program caller (authoritative),
// or the user named by a valid Bearer token over HTTP.
import { verifyToken } from '../../shared/auth/tokens';
import type { HandlerContext } from '../../shared/context';
import type { UserDoc } from '../../shared/db/users';
import { AppError } from '../../shared/errors/app-error';

/** The session's user, or undefined when the token's user no longer exists. */
export async function sessionUser(ctx: HandlerContext): Promise<UserDoc | undefined> {
  if (ctx.caller.kind === 'user') return ctx.users.findByOpenid(ctx.caller.openid);
  if (ctx.caller.kind !== 'http' || !ctx.request.token) throw new AppError('UNAUTHORIZED', 'missing Authorization token');
  const claims = await verifyToken(ctx.request.token, ctx.now());
  const user = await ctx.users.findById(claims.userId);
  if (user && user.tokenVersion !== claims.version) throw new AppError('UNAUTHORIZED', 'token has been revoked');
  return user;
}

/** The caller's IP as CloudBase reports it (CLIENTIP for mini-program calls, the gateway's header over HTTP). */
export function clientIp(ctx: HandlerContext): string | undefined {
  return ctx.caller.kind === 'user' || ctx.caller.kind === 'http' ? (ctx.request.clientIp ?? ctx.caller.clientIp) : undefined;
}
