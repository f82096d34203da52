// The user function's handlers (seeds 001 + 002). `typeof userHandlers` is the client contract.
import type { RouterContract } from '../../shared/router/define-handler';
import { addHistory } from './handlers/addHistory';
import { cleanHistory } from './handlers/cleanHistory';
import { get } from './handlers/get';
import { getHistory } from './handlers/getHistory';
import { getOpenid } from './handlers/getOpenid';
import { login } from './handlers/login';
import { loginByOpenid } from './handlers/loginByOpenid';
import { logout } from './handlers/logout';
import { update } from './handlers/update';

export const userHandlers = { login, getOpenid, loginByOpenid, get, update, logout, addHistory, getHistory, cleanHistory };
export type UserContract = RouterContract<typeof userHandlers>;
