// The WeChat server APIs the emulator serves as cloud calls, by the name cloud.openapi sends
// (`<category>.<method>`). A name not listed here is "API not found" (-604100).
import type { ContentSecurity } from './content-security';
import type { SubscribeMessages } from './subscribe-messages';
import type { BinaryReply, WechatReply } from './wechat-reply';
import * as wxacode from './wxacode';

export interface OpenApiCallContext {
  /** The function making the call, when one is. */
  functionName?: string;
  now: Date;
}

export type OpenApiHandler = (data: Record<string, unknown>, ctx: OpenApiCallContext) => Promise<WechatReply | BinaryReply> | WechatReply | BinaryReply;

export interface OpenApiStandIns {
  content: ContentSecurity;
  messages: SubscribeMessages;
  /** getPhoneNumber, owned by the WeChat stand-in (emulator/wechat/phone-numbers.ts). */
  redeemPhoneCode: (body: Record<string, unknown>, now: number) => WechatReply;
}

export function openApis(s: OpenApiStandIns): Record<string, OpenApiHandler> {
  return {
    'security.msgSecCheck': (data) => s.content.msgSecCheck(data),
    'subscribeMessage.send': (data, ctx) => s.messages.send(data, ctx.functionName, ctx.now),
    'wxacode.getUnlimited': (data) => wxacode.getUnlimited(data),
    'wxacode.get': (data) => wxacode.get(data),
    'wxacode.createQRCode': (data) => wxacode.createQRCode(data),
    'phonenumber.getPhoneNumber': (data, ctx) => s.redeemPhoneCode(data, ctx.now.getTime()),
  };
}
