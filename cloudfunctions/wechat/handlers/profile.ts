// profile: set name, phone (from a getPhoneNumber code) and picture of the session's user.
// The session is checked before the body (a stranger gets 401 and learns nothing of the rules).
// The phone WeChat verified takes the number from an unverified claim; one verified by someone
// else is refused and nothing changes (see saveProfile). users_name passes WeChat content security
// before the phone code is spent: risky is a 400 and nothing changes.
import { AppError } from '../../../shared/errors/app-error';
import { normalisePhone } from '../../../shared/phone';
import { defineHandler } from '../../../shared/router/define-handler';
import { saveProfile } from '../../../shared/services/save-profile';
import type { WechatResult } from '../envelope';
import { wechatProfileRequestSchema } from '../schemas';
import { requireSession } from '../session';
import { userInfo } from '../views';

export const profile = defineHandler({
  allow: ['user', 'http'],
  input: wechatProfileRequestSchema,
  authenticate: async (ctx) => void (await requireSession(ctx)),
  async run({ input, ctx }): Promise<WechatResult> {
    const user = await requireSession(ctx);
    const nickname = await ctx.content.nickname(user.openid, input.users_name, 'users_name');
    const phone = normalisePhone(await ctx.wechat.phoneNumber(input.users_phone_code, user.openid));
    if (phone === undefined) throw new AppError('UPSTREAM', 'WeChat getuserphonenumber returned no usable phone number');
    const updated = await saveProfile(ctx, user, { ...nickname, avatar: input.users_picture, phone }, { verified: true }).catch((err: unknown) => {
      // The token's user vanished between the check and the save: the token no longer names anyone.
      throw err instanceof AppError && err.code === 'NOT_FOUND' ? new AppError('UNAUTHORIZED', 'the token user no longer exists') : err;
    });
    return { msg: 'profile updated', data: { status: 'update_success', user: userInfo(updated) } };
  },
});
