// The wechat function's handlers (seed 004). `typeof wechatHandlers` is the client contract.
import type { RouterContract } from '../../shared/router/define-handler';
import { login } from './handlers/login';
import { profile } from './handlers/profile';
import { refreshToken } from './handlers/refreshToken';
import { usersCount } from './handlers/usersCount';

export const wechatHandlers = { login, profile, refreshToken, usersCount };
export type WechatContract = RouterContract<typeof wechatHandlers>;
