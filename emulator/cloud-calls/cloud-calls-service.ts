// Cloud calls (云调用) as an emulated service: cloud.openapi.<api>(data) from the unchanged
// wx-server-sdk, which the CloudBase server API hands over as the wx.openApi action (multipart on
// /admin), with stand-ins for the WeChat APIs a mini-program backend calls, the config.json
// permissions.openapi check, and /_emulator/openapi/... to configure them. It needs the functions'
// callers and definitions, their invocation log, and the WeChat stand-in's phone codes; it offers
// the action and msgSecCheck's judge (ports.ts). docs/cloud-calls.md describes what it serves.
import { FUNCTIONS, INVOCATION_LOG } from '../runner/ports';
import type { ServiceFactory } from '../service';
import { CloudCallsState } from './cloud-calls-state';
import { cloudCallsControlRoutes } from './control-routes';
import { openApis } from './open-apis';
import { handleOpenApiAction, type CloudCaller } from './openapi-action';
import { isMultipart } from './openapi-form';
import { MSG_SEC_CHECK, OPENAPI_ACTION, PHONE_CODES } from './ports';

export const cloudCallsService: ServiceFactory = ({ secrets, ports }) => {
  const functions = ports.need(FUNCTIONS);
  const log = ports.need(INVOCATION_LOG);
  const state = new CloudCallsState(() => Object.keys(apis));
  const apis = openApis({ content: state.content, messages: state.messages, redeemPhoneCode: ports.need(PHONE_CODES) });
  const callerOf = (instanceId: string | undefined): CloudCaller | undefined => {
    const call = functions.callOf(instanceId);
    if (!call) return undefined;
    const permissions = functions.definitions().find((d) => d.name === call.functionName)?.config.permissions.openapi ?? [];
    return { functionName: call.functionName, permissions, openid: call.caller.openid, source: call.caller.source, httpAccess: call.caller.gatewaySourceIp !== undefined };
  };
  const deps = { apis, callerOf, takeFault: (api: string) => state.takeFault(api), appid: secrets.appid, record: (record: Parameters<typeof log.add>[0]) => log.add(record) };
  ports.offer(OPENAPI_ACTION, { accepts: isMultipart, handle: (req, res, instanceId) => handleOpenApiAction(req, res, instanceId, deps) });
  ports.offer(MSG_SEC_CHECK, (body) => state.content.msgSecCheck(body));
  return {
    name: 'cloud-calls',
    control: cloudCallsControlRoutes(state),
    close: () => undefined,
  };
};
