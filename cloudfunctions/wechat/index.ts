// Entry of the `wechat` cloud function: seed 004's API over CloudBase HTTP access and over callFunction.
import { getWXContext } from '../../shared/platform';
import { isHttpEvent } from '../../shared/router/caller';
import { createRouter } from '../../shared/router/create-router';
import { wechatEnvelope } from './envelope';
import { handleHttp, type HttpEvent } from './http-routes';
import { wechatHandlers } from './router';

const router = createRouter(wechatHandlers, { renderer: wechatEnvelope });

export const handlerNames = router.names;

export async function main(event: unknown): Promise<unknown> {
  if (!isHttpEvent(event)) return router.main(event);
  const wx = getWXContext() as Record<string, unknown>;
  return handleHttp(event as HttpEvent, router.dispatch, String(wx.ENV ?? ''), String(wx.SOURCE ?? ''));
}
