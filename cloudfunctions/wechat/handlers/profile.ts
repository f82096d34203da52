// profile: set name, phone (from a getPhoneNumber code) and picture of the session's user.
// A phone number held by another user is refused and nothing changes (phone_claims decides races).
import { AppError } from '../../../shared/errors/app-error';
import { defineHandler } from '../../../shared/router/define-handler';
import type { WechatResult } from '../envelope';
import { wechatProfileRequestSchema } from '../schemas';
import { sessionUser } from '../session';
import { userInfo } from '../views';

export const profile = defineHandler({
  allow: ['user', 'http'],
  input: wechatProfileRequestSchema,
  async run({ input, ctx }): Promise<WechatResult> {
    const user = await sessionUser(ctx);
    if (!user) throw new AppError('UNAUTHORIZED', 'the token user no longer exists');
    const phone = await ctx.wechat.phoneNumber(input.users_phone_code, user.openid);
    const changed = phone !== user.phone;
    if (changed && !(await ctx.phoneClaims.claim(phone, user.openid))) throw new AppError('CONFLICT', 'this phone number is already bound to another user');
    const updated = await ctx.users.patch(user._id, { nickname: input.users_name, avatar: input.users_picture, phone });
    if (!updated) throw new AppError('UNAUTHORIZED', 'the token user no longer exists');
    if (changed && user.phone) await ctx.phoneClaims.release(user.phone, user.openid);
    return { msg: 'profile updated', data: { status: 'update_success', user: userInfo(updated) } };
  },
});
