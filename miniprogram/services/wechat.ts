// The `wechat` function (seed 004) through callFunction: the answer is the whole envelope
// { code, msg, data, token? }; { code >= 400 } throws. The contract types `data` loosely
// (Record<string, unknown>), so each operation's data is taken from the function's response schemas.
import type { z } from 'zod';
import type { WechatContract } from '../../cloudfunctions/wechat/router';
import type { authSuccessResponseSchema, profileResponseSchema, refreshTokenResponseSchema, usersCountResponseSchema } from '../../cloudfunctions/wechat/schemas';
import type { Method } from './call-function';
import { method } from './call-function';

type C = WechatContract;
type Responses = {
  login: z.infer<typeof authSuccessResponseSchema>;
  profile: z.infer<typeof profileResponseSchema>;
  refreshToken: z.infer<typeof refreshTokenResponseSchema>;
  usersCount: z.infer<typeof usersCountResponseSchema>;
};
export type WechatAnswer<K extends keyof C> = Omit<C[K]['result'], 'data'> & (K extends keyof Responses ? Responses[K] : { code: number; data: Record<string, unknown> });
export type WechatUserInfo = Responses['profile']['data']['user'];

const m = <K extends keyof C & string>(name: K): Method<C[K]['input'], WechatAnswer<K>> => method('wechat', name);

export const wechat = {
  login: m('login'),
  profile: m('profile'),
  refreshToken: m('refreshToken'),
  usersCount: m('usersCount'),
};
