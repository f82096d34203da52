// The ports of the cloud-calls service: the wx.openApi action the CloudBase server API hands
// multipart requests to, and msgSecCheck's judge the WeChat stand-in serves on /wxa/msg_sec_check
// (both needed while serving: their users sit earlier in SERVICES); and the one it needs, the
// WeChat stand-in's phone codes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContract } from '../http/api-table';
import { port } from '../port-registry';
import type { cloudCallsControlRoutes } from './control-routes';

/** The wx.openApi action (cloud calls), which the SDK sends to /admin as multipart/form-data. */
export interface OpenApiAction {
  accepts(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse, instanceId: string | undefined): Promise<void>;
}

/** security.msgSecCheck on a JSON body as WeChat takes it; WeChat's JSON answer. */
export type MsgSecCheck = (body: Record<string, unknown>) => Record<string, unknown>;

export const OPENAPI_ACTION = port<OpenApiAction>('cloud-calls.openapi-action');
export const MSG_SEC_CHECK = port<MsgSecCheck>('cloud-calls.msg-sec-check');
/** Needed, not offered (the WeChat stand-in offers it): redeems a single-use phone code, WeChat's getPhoneNumber answer. */
export const PHONE_CODES = port<(body: Record<string, unknown>, now: number) => Record<string, unknown>>('wechat.phone-codes');

/** The cloud-calls control routes, as the console's Cloud calls screen receives them. */
export type CloudCallsControlContract = ApiContract<ReturnType<typeof cloudCallsControlRoutes>>;
