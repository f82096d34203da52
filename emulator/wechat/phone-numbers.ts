// getPhoneNumber: redeems a single-use phone code the control API minted. Served on WeChat's HTTP
// path (/wxa/business/getuserphonenumber, after its access-token check) and as the cloud call
// phonenumber.getPhoneNumber (emulator/cloud-calls/).
import type { WechatState } from './wechat-state';

export type PhoneReply = Record<string, unknown>;

const fail = (errcode: number, errmsg: string): PhoneReply => ({ errcode, errmsg: `${errmsg} rid: emulator` });

export function redeemPhoneCode(state: WechatState, body: Record<string, unknown>, now: number): PhoneReply {
  const code = body.code;
  if (typeof code !== 'string' || code === '') return fail(41008, 'missing code');
  const entry = state.phoneCodes.get(code);
  if (!entry || entry.expiresAt <= now) return fail(40029, 'invalid code');
  if (entry.used) return fail(40029, 'invalid code, code been used');
  entry.used = true;
  return {
    errcode: 0,
    errmsg: 'ok',
    // phoneNumber carries the 区号 for numbers outside the mainland; purePhoneNumber never does.
    phone_info: { phoneNumber: entry.countryCode === '86' ? entry.phoneNumber : `+${entry.countryCode}${entry.phoneNumber}`, purePhoneNumber: entry.phoneNumber, countryCode: entry.countryCode, watermark: { timestamp: Math.floor(now / 1000), appid: state.appid } },
  };
}
