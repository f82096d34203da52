// The ports of the cloud-calls service: the wx.openApi action the CloudBase server API hands
// multipart requests to, and msgSecCheck's judge the WeChat stand-in serves on /wxa/msg_sec_check.
// Both are needed while serving (their users sit earlier in SERVICES).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { port } from '../port-registry';

/** The wx.openApi action (cloud calls), which the SDK sends to /admin as multipart/form-data. */
export interface OpenApiAction {
  accepts(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse, instanceId: string | undefined): Promise<void>;
}

/** security.msgSecCheck on a JSON body as WeChat takes it; WeChat's JSON answer. */
export type MsgSecCheck = (body: Record<string, unknown>) => Record<string, unknown>;

export const OPENAPI_ACTION = port<OpenApiAction>('cloud-calls.openapi-action');
export const MSG_SEC_CHECK = port<MsgSecCheck>('cloud-calls.msg-sec-check');
