// The wechat API's request and response schemas (seed 004). They validate requests, type the
// handlers, and generate the OpenAPI document, so every limit is one the document can state: the
// lengths and patterns apply to the string as sent (no trimming before the check). Unknown
// properties are accepted and ignored (seed 004 does not forbid them and the mini-program may send
// more later); the document says so with additionalProperties: true.
import { z } from 'zod';

const NOT_BLANK = /\S/;
export const WX_CODE_MAX = 256;

export const wxCodeSchema = z.string().min(1, 'must not be empty').max(WX_CODE_MAX).regex(NOT_BLANK, 'must not be empty');

export const wechatLoginRequestSchema = z.object({ users_wx_code: wxCodeSchema });
export const wechatProfileRequestSchema = z.object({
  users_name: z
    .string()
    .min(1, 'must be 1-32 characters')
    .max(32, 'must be 1-32 characters')
    .regex(NOT_BLANK, 'must not be blank')
    .transform((s) => s.trim()),
  users_phone_code: wxCodeSchema,
  users_picture: z.string().max(1024).regex(/^https?:\/\//, 'must be an http(s) URL').url('must be an http(s) URL'),
});
/** Optional and unchecked here: a valid token renews whatever it holds; it is checked only when used. */
export const refreshTokenRequestSchema = z.object({ users_wx_code: z.string().nullish() });
export const usersCountRequestSchema = z.object({});

/**
 * Seed 004 UserInfo, every property present: a client written against the seed reads them all.
 * This backend stores none of the organisation fields, so they carry the zero value of their
 * seed type, as the PocketBase records the seed describes do (pocketbase.io/docs/collections,
 * "Fields": non-nullable, zero default: "" for text, 0 for number); company is CompanyInfo, which
 * the seed lets be null.
 */
export const userInfoSchema = z.object({
  pb_id: z.string(),
  users_convers_id: z.string(),
  users_id: z.string(),
  users_idtype: z.enum(['WeChat', 'ManagePlatform']),
  users_id_number: z.string(),
  users_type: z.string(),
  users_name: z.string(),
  users_status: z.union([z.string(), z.number()]),
  users_rank_level: z.number(),
  users_auth_type: z.number(),
  users_phone: z.string(),
  users_phone_masked: z.string(),
  users_level: z.string(),
  users_picture: z.string(),
  openid: z.string(),
  company_id: z.string(),
  users_parent_id: z.string(),
  users_promo_code: z.string(),
  usergroups_id: z.string(),
  company: z.record(z.unknown()).nullable(),
  created: z.string(),
  updated: z.string(),
});
export type UserInfo = z.infer<typeof userInfoSchema>;

const envelope = <D extends z.ZodType>(data: D) => z.object({ code: z.number().int(), msg: z.string(), data });

export const authSuccessResponseSchema = envelope(
  z.object({ status: z.enum(['register_success', 'login_success']), is_info_complete: z.boolean(), user: userInfoSchema }),
).extend({ token: z.string() });
export const profileResponseSchema = envelope(z.object({ status: z.literal('update_success'), user: userInfoSchema }));
export const refreshTokenResponseSchema = envelope(z.object({}).catchall(z.unknown())).extend({ token: z.string() });
export const usersCountResponseSchema = envelope(z.object({ total_users: z.number().int() }));
export const errorResponseSchema = envelope(z.object({}).catchall(z.unknown()));
