// Profile fields of the user API (union of seeds 001 and 002) with their formats, and the
// mapping to the stored document's names.
import { z } from 'zod';
import type { UserProfile } from '../../shared/db/users';
import { phoneSchema } from '../../shared/phone';
import { httpUrlSchema, nicknameSchema } from '../../shared/validation';

export const profileFieldSchemas = {
  phone: phoneSchema,
  qq: z.string().trim().min(1).max(64),
  cardno: z.string().trim().regex(/^[A-Za-z0-9-]{1,32}$/, 'must be 1-32 letters or digits'),
  wxid: z.string().trim().min(1).max(64),
  nick_name: nicknameSchema,
  avatar: httpUrlSchema,
  // Seed 002: int, "0或1", and its example sends "1". One message for every other value.
  gender: z.union([z.literal(0), z.literal(1), z.literal('0'), z.literal('1')], { errorMap: () => ({ message: 'must be 0 or 1' }) }).transform((g) => (g === 1 || g === '1' ? 1 : 0)),
};

export type ProfileFieldName = keyof typeof profileFieldSchemas;
export const PROFILE_FIELD_NAMES = Object.keys(profileFieldSchemas) as ProfileFieldName[];

export const profileInputSchema = z.object(profileFieldSchemas).partial();
export type ProfileInput = z.infer<typeof profileInputSchema>;

export function toStoredProfile(input: ProfileInput): UserProfile {
  return { phone: input.phone, qq: input.qq, cardno: input.cardno, wxid: input.wxid, nickname: input.nick_name, avatar: input.avatar, gender: input.gender };
}
