// login (stateless registration): register the openid with the given profile fields, or return
// the existing user unchanged. Required fields are configurable (USER_REQUIRED_FIELDS, default phone).
// A nick_name passes WeChat content security before anything is claimed or saved.
import { z } from 'zod';
import { config } from '../../../shared/config';
import { AppError } from '../../../shared/errors/app-error';
import { defineHandler } from '../../../shared/router/define-handler';
import { PROFILE_FIELD_NAMES, profileFieldSchemas, toStoredProfile } from '../profile-fields';
import { targetFields, targetOpenid } from '../target-user';
import { userView } from '../views';

export const login = defineHandler({
  allow: ['user', 'server'],
  input: z.object({ ...targetFields, ...profileFieldSchemas }).partial(),
  errorCodes: { INVALID_PARAMS: -1, CONFLICT: -2, INTERNAL: -2 },
  async run({ input, ctx }) {
    const openid = await targetOpenid(ctx, input);
    const [existing, lastId] = await Promise.all([ctx.users.findByOpenid(openid), ctx.users.peekLastId()]);
    if (existing) return userView(existing);
    const required = config('user').USER_REQUIRED_FIELDS.split(',').map((f) => f.trim()).filter((f): f is (typeof PROFILE_FIELD_NAMES)[number] => (PROFILE_FIELD_NAMES as string[]).includes(f));
    const missing = required.filter((f) => input[f] === undefined);
    if (missing.length) throw new AppError('INVALID_PARAMS', `missing required field(s): ${missing.join(', ')}`);
    const profile = toStoredProfile(input);
    const review = profile.nickname === undefined ? undefined : (await ctx.content.nickname(openid, profile.nickname, 'nick_name')).nicknameReview;
    // A typed number is an unverified claim: it never takes a number someone else holds.
    if (input.phone && !(await ctx.phoneClaims.claim(input.phone, openid, false))) throw new AppError('CONFLICT', 'phone is already used by another user');
    const { user, created } = await ctx.users.register(openid, { ...profile, ...(review ? { nicknameReview: review } : {}) }, lastId);
    // A concurrent login of this openid registered first: its phone won, so free the one claimed here.
    if (!created && input.phone && user.phone !== input.phone) await ctx.phoneClaims.release(input.phone, openid);
    return userView(user);
  },
});
