// update: change profile fields. `update` is a JSON string or an object; only profile fields may
// change (never openid, id, roles, history, token version or timestamps). A nick_name passes WeChat
// content security first: risky is -1 and nothing is saved.
import { z } from 'zod';
import { AppError } from '../../../shared/errors/app-error';
import { defineHandler } from '../../../shared/router/define-handler';
import { formatZodError } from '../../../shared/router/create-router';
import { saveProfile } from '../../../shared/services/save-profile';
import { findIllFormedText } from '../../../shared/validation';
import { profileInputSchema, toStoredProfile } from '../profile-fields';
import { requireUser, targetFields, targetOpenid } from '../target-user';

const MAX_UPDATE_CHARS = 10_000;

function parseUpdate(raw: unknown) {
  let value = raw;
  if (typeof raw === 'string') {
    if (raw.length > MAX_UPDATE_CHARS) throw new AppError('INVALID_PARAMS', 'update is too long');
    try {
      value = JSON.parse(raw);
    } catch {
      throw new AppError('INVALID_JSON', 'update is not valid JSON');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new AppError('JSON_PROCESSING', 'update must be a JSON object of fields');
  // The router checked the event's text; JSON escapes inside the string can still make a lone surrogate.
  const illFormed = findIllFormedText(value);
  if (illFormed !== undefined) throw new AppError('INVALID_PARAMS', `update.${illFormed} must be well-formed text (it holds a lone UTF-16 surrogate)`);
  const parsed = profileInputSchema.strict().safeParse(value);
  if (!parsed.success) throw new AppError('INVALID_PARAMS', formatZodError(parsed.error));
  if (Object.keys(parsed.data).length === 0) throw new AppError('INVALID_PARAMS', 'update names no field');
  return parsed.data;
}

export const update = defineHandler({
  allow: ['user', 'server'],
  input: z.object({ ...targetFields, update: z.unknown().refine((v) => v !== undefined, 'update is required') }),
  errorCodes: { INVALID_PARAMS: -1, NOT_FOUND: -2, CONFLICT: -2, MULTIPLE_USERS: -2, INTERNAL: -2, INVALID_JSON: -3, JSON_PROCESSING: -4 },
  async run({ input, ctx }) {
    // Who the call is about is checked first: naming another user is -1 whatever the update holds.
    const openid = await targetOpenid(ctx, input);
    const fields = parseUpdate(input.update);
    const user = await requireUser(ctx, { openid });
    const profile = toStoredProfile(fields);
    const checked = profile.nickname === undefined ? {} : await ctx.content.nickname(user.openid, profile.nickname, 'nick_name');
    // Typed by the user: an unverified claim (see saveProfile).
    await saveProfile(ctx, user, { ...profile, ...checked }, { verified: false });
    return [];
  },
});
