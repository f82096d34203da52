// refreshToken: a valid token → a new token for the same user, whatever users_wx_code holds (seed
// 004: "when the Authorization is still valid, renew directly"); otherwise a users_wx_code → a new
// token through the code (400 when it is blank or too long, or WeChat refuses it); neither → 401;
// the user gone → 404.
import { issueToken } from '../../../shared/auth/tokens';
import type { HandlerContext } from '../../../shared/context';
import type { UserDoc } from '../../../shared/db/users';
import { AppError } from '../../../shared/errors/app-error';
import { callerLimit, enforceRateLimits, ipLimit } from '../../../shared/rate-limit';
import { defineHandler } from '../../../shared/router/define-handler';
import type { WechatResult } from '../envelope';
import { WX_CODE_MAX, refreshTokenRequestSchema } from '../schemas';
import { clientIp, sessionUser } from '../session';

async function userFromToken(ctx: HandlerContext): Promise<{ user?: UserDoc; valid: boolean }> {
  if (ctx.caller.kind === 'http' && !ctx.request.token) return { valid: false };
  try {
    return { user: await sessionUser(ctx), valid: true };
  } catch (err) {
    if (err instanceof AppError && err.code === 'UNAUTHORIZED') return { valid: false };
    throw err;
  }
}

async function userFromCode(ctx: HandlerContext, code: string): Promise<UserDoc | undefined> {
  const { openid } = await ctx.wechat.code2Session(code);
  const [, user] = await Promise.all([enforceRateLimits(ctx, [callerLimit('refresh', openid)]), ctx.users.findByOpenid(openid)]);
  return user;
}

function usableCode(code: string): string {
  if (code.trim() === '') throw new AppError('INVALID_PARAMS', 'users_wx_code must not be empty');
  if (code.length > WX_CODE_MAX) throw new AppError('INVALID_PARAMS', `users_wx_code must be at most ${WX_CODE_MAX} characters`);
  return code;
}

export const refreshToken = defineHandler({
  allow: ['user', 'http'],
  input: refreshTokenRequestSchema,
  async run({ input, ctx }): Promise<WechatResult> {
    await enforceRateLimits(ctx, ipLimit('refresh', clientIp(ctx)));
    const session = await userFromToken(ctx);
    let user = session.user;
    if (session.valid) {
      if (user) await enforceRateLimits(ctx, [callerLimit('refresh', user.openid)]);
    } else if (typeof input.users_wx_code === 'string') {
      user = await userFromCode(ctx, usableCode(input.users_wx_code));
    } else {
      throw new AppError('UNAUTHORIZED', 'token is invalid and no users_wx_code was given');
    }
    if (!user) throw new AppError('NOT_FOUND', 'user does not exist');
    return { msg: 'token refreshed', data: {}, token: await issueToken({ userId: user._id, version: user.tokenVersion }, ctx.now()) };
  },
});
