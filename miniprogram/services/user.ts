// The `user` function (seeds 001/002). Answers are the envelope's data; { code < 0 } throws.
// The caller is always the signed-in user: openid / user_id need not be passed.
import type { UserContract } from '../../cloudfunctions/user/router';
import type { Method } from './call-function';
import { method } from './call-function';

type C = UserContract;
const m = <K extends keyof C & string>(name: K): Method<C[K]['input'], C[K]['result']> => method('user', name);

export const user = {
  login: m('login'),
  getOpenid: m('getOpenid'),
  loginByOpenid: m('loginByOpenid'),
  get: m('get'),
  update: m('update'),
  logout: m('logout'),
  addHistory: m('addHistory'),
  getHistory: m('getHistory'),
  cleanHistory: m('cleanHistory'),
};
