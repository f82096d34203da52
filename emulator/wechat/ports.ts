// The port of the WeChat stand-in: what it remembers (tests look at its tokens, codes and jobs).
import { port } from '../port-registry';
import type { WechatState } from './wechat-state';

export const WECHAT = port<WechatState>('wechat.state');
/** getPhoneNumber: redeems a single-use phone code; WeChat's JSON answer (the cloud call phonenumber.getPhoneNumber uses it). */
export const PHONE_CODES = port<(body: Record<string, unknown>, now: number) => Record<string, unknown>>('wechat.phone-codes');
