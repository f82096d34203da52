// login (stateless registration, seed 001 "登录(注册)"): register the openid with the given
// profile fields; for an openid already registered (common.login and wechat.login register every
// user at launch), save the profile fields the call submits, as user.update would, and return the
// user as saved. Required fields (USER_REQUIRED_FIELDS, default phone) apply to a registration.
// A nick_name passes WeChat content security before anything is claimed or saved.
import { z } from 'zod';
import { config } from '../../../shared/config';
import { AppError } from '../../../shared/errors/app-error';
import { defineHandler } from '../../../shared/router/define-handler';
import { saveProfile } from '../../../shared/services/save-profile';
import { PROFILE_FIELD_NAMES, profileFieldSchemas, toStoredProfile } from '../profile-fields';
import { targetFields, targetOpenid } from '../target-user';
import { userView } from '../views';

export const login = defineHandler({
  allow: ['user', 'server'],
  input: z.object({ ...targetFields, ...profileFieldSchemas }).partial(),
  errorCodes: { INVALID_PARAMS: -1, CONFLICT: -2, NOT_FOUND: -2, INTERNAL: -2 },
  async run({ input, ctx }) {
    const openid = await targetOpenid(ctx, input);
    const [existing, lastId] = await Promise.all([ctx.users.findByOpenid(openid), ctx.users.peekLastId()]);
    const profile = toStoredProfile(input);
    const checkNickname = async () => (profile.nickname === undefined ? undefined : ctx.content.nickname(openid, profile.nickname, 'nick_name'));
    if (existing) {
      if (Object.values(profile).every((v) => v === undefined)) return userView(existing);
      // Typed by the user: an unverified claim, refused (-2) when another user holds the number.
      return userView(await saveProfile(ctx, existing, { ...profile, ...(await checkNickname()) }, { verified: false }));
    }
    const required = config('user').USER_REQUIRED_FIELDS.split(',').map((f) => f.trim()).filter((f): f is (typeof PROFILE_FIELD_NAMES)[number] => (PROFILE_FIELD_NAMES as string[]).includes(f));
    const missing = required.filter((f) => input[f] === undefined);
    if (missing.length) throw new AppError('INVALID_PARAMS', `missing required field(s): ${missing.join(', ')}`);
    const checked = await checkNickname();
    const review = checked?.nicknameReview;
    // A typed number is an unverified claim: it never takes a number someone else holds.
    if (input.phone && !(await ctx.phoneClaims.claim(input.phone, openid, false))) throw new AppError('CONFLICT', 'phone is already used by another user');
    const { user, created } = await ctx.users.register(openid, { ...profile, ...(review ? { nicknameReview: review } : {}) }, lastId);
    if (created) return userView(user);
    // A concurrent login of this openid registered first: this call is then the login of an
    // existing user, and saves its fields like one (the phone it claimed is already its own, and
    // saveProfile frees whichever number the user stops holding).
    return userView(await saveProfile(ctx, user, { ...profile, ...checked }, { verified: false }));
  },
});
