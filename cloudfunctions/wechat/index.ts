// Entry of the `wechat` cloud function: seed 004's API over CloudBase HTTP access and over
// callFunction. Which one a run is comes from the platform first (see shared/router/caller.ts):
// the event's shape counts only for a run that carries no end user of any kind.
import { createRouter, currentInvocation } from '../../shared/router/create-router';
import { wechatEnvelope } from './envelope';
import { handleHttp } from './http-routes';
import { wechatHandlers } from './router';

const router = createRouter(wechatHandlers, { renderer: wechatEnvelope });

export const handlerNames = router.names;

export async function main(event: unknown): Promise<unknown> {
  const { caller, envId } = currentInvocation(event);
  if (caller.kind === 'http') return handleHttp(event, router.dispatch, caller, envId);
  return router.handle(event, caller, envId);
}
