// Cloud calls (云调用): cloud.openapi.<api>(data) from the unchanged wx-server-sdk, served on /admin
// as the wx.openApi action, with stand-ins for the WeChat APIs a mini-program backend calls, the
// config.json permissions.openapi check, and /_emulator/openapi/... to configure them.
// Ports, not imports: the runner says who is calling; the WeChat stand-in redeems phone codes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InvocationRecord } from '../runner/invocation-record';
import { CloudCallsState } from './cloud-calls-state';
import { CONTROL_PREFIX, handleCloudCallsControl } from './control-routes';
import { openApis } from './open-apis';
import { handleOpenApiAction, type CloudCaller } from './openapi-action';
import type { WechatReply } from './wechat-reply';

export { isMultipart } from './openapi-form';
export type { CloudCaller } from './openapi-action';

export interface CloudCallsDeps {
  appid: string;
  callerOf: (instanceId: string | undefined) => CloudCaller | undefined;
  redeemPhoneCode: (body: Record<string, unknown>, now: number) => WechatReply;
  record: (record: InvocationRecord) => void;
}

export interface CloudCallsService {
  /** The wx.openApi action: a multipart POST to /admin[/i/<instance>]. */
  handleOpenApi(req: IncomingMessage, res: ServerResponse, instanceId: string | undefined): Promise<void>;
  /** True when it answered a /_emulator/openapi/... request. */
  handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** security.msgSecCheck's judge, for the WeChat stand-in's POST /wxa/msg_sec_check. */
  msgSecCheck(body: Record<string, unknown>): WechatReply;
  state: CloudCallsState;
}

export function createCloudCalls(deps: CloudCallsDeps): CloudCallsService {
  let names: string[] = [];
  const state = new CloudCallsState(() => names);
  const apis = openApis({ content: state.content, messages: state.messages, redeemPhoneCode: deps.redeemPhoneCode });
  names = Object.keys(apis);
  const actionDeps = { apis, callerOf: deps.callerOf, takeFault: (api: string) => state.takeFault(api), appid: deps.appid, record: deps.record };
  return {
    state,
    handleOpenApi: (req, res, instanceId) => handleOpenApiAction(req, res, instanceId, actionDeps),
    async handleControl(req, res, url) {
      if (!url.pathname.startsWith(CONTROL_PREFIX)) return false;
      await handleCloudCallsControl(req, res, url, state);
      return true;
    },
    msgSecCheck: (body) => state.content.msgSecCheck(body),
  };
}
