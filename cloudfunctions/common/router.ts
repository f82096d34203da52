// The common function's handlers (seed 000). `typeof commonHandlers` is the client contract.
import type { RouterContract } from '../../shared/router/define-handler';
import { auth } from './handlers/auth';
import { login } from './handlers/login';
import { setUserInfo } from './handlers/setUserInfo';

export const commonHandlers = { login, auth, setUserInfo };
export type CommonContract = RouterContract<typeof commonHandlers>;
