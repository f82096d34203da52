// login: users_wx_code → openid (jscode2session), register on first sight, return the user and a
// token. Through callFunction the context openid is authoritative and the code must belong to it.
import { issueToken } from '../../../shared/auth/tokens';
import { AppError } from '../../../shared/errors/app-error';
import { callerLimit, enforceRateLimits, ipLimit } from '../../../shared/rate-limit';
import { defineHandler } from '../../../shared/router/define-handler';
import type { WechatResult } from '../envelope';
import { wechatLoginRequestSchema } from '../schemas';
import { clientIp } from '../session';
import { isInfoComplete, userInfo } from '../views';

export const login = defineHandler({
  allow: ['user', 'http'],
  input: wechatLoginRequestSchema,
  async run({ input, ctx }): Promise<WechatResult> {
    const ip = clientIp(ctx);
    // Checked before the exchange: a flood from one address must not burn WeChat quota.
    await enforceRateLimits(ctx, ipLimit('login', ip));
    const { openid, unionid } = await ctx.wechat.code2Session(input.users_wx_code);
    if (ctx.caller.kind === 'user' && ctx.caller.openid !== openid) throw new AppError('UNAUTHORIZED', 'users_wx_code does not belong to the signed-in user');
    const [, existing, lastId] = await Promise.all([enforceRateLimits(ctx, [callerLimit('login', openid)]), ctx.users.findByOpenid(openid), ctx.users.peekLastId()]);
    const user = existing ?? (await ctx.users.register(openid, { unionid }, lastId)).user;
    const token = await issueToken({ userId: user._id, version: user.tokenVersion }, ctx.now());
    return {
      msg: existing ? 'login succeeded' : 'registration succeeded',
      data: { status: existing ? 'login_success' : 'register_success', is_info_complete: isInfoComplete(user), user: userInfo(user) },
      token,
    };
  },
});
