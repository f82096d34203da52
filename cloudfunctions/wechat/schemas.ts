// The wechat API's request and response schemas (seed 004). They validate requests, type the
// handlers, and generate the OpenAPI document.
import { z } from 'zod';
import { httpUrlSchema, nicknameSchema } from '../../shared/validation';

export const wxCodeSchema = z.string().trim().min(1, 'must not be empty').max(256);

export const wechatLoginRequestSchema = z.object({ users_wx_code: wxCodeSchema });
export const wechatProfileRequestSchema = z.object({
  users_name: nicknameSchema,
  users_phone_code: wxCodeSchema,
  users_picture: httpUrlSchema,
});
export const refreshTokenRequestSchema = z.object({ users_wx_code: wxCodeSchema.nullish() });
export const usersCountRequestSchema = z.object({});

export const userInfoSchema = z.object({
  pb_id: z.string(),
  users_id: z.string().optional(),
  users_idtype: z.enum(['WeChat', 'ManagePlatform']),
  users_name: z.string().optional(),
  users_phone: z.string().optional(),
  users_phone_masked: z.string().optional(),
  users_picture: z.string().optional(),
  users_status: z.union([z.string(), z.number()]).optional(),
  openid: z.string(),
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
