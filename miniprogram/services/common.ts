// The `common` function (seed 000): login (registers on first use), auth (feature ids), setUserInfo.
import type { CommonContract } from '../../cloudfunctions/common/router';
import type { Method } from './call-function';
import { method } from './call-function';

type C = CommonContract;
const m = <K extends keyof C & string>(name: K): Method<C[K]['input'], C[K]['result']> => method('common', name);

export const common = {
  login: m('login'),
  auth: m('auth'),
  setUserInfo: m('setUserInfo'),
};

export type SignedInUser = C['login']['result'];
