// Entry of the `wechat` cloud function: seed 004's API over CloudBase HTTP access and over
// callFunction. Which one a run is comes from the platform (see shared/router/caller.ts), never
// from the event's shape.
import { createRouter, currentInvocation } from '../../shared/router/create-router';
import { wechatEnvelope } from './envelope';
import { handleHttp } from './http-routes';
import { wechatHandlers } from './router';

const router = createRouter(wechatHandlers, { renderer: wechatEnvelope });

export const handlerNames = router.names;

export async function main(event: unknown): Promise<unknown> {
  const { caller, envId } = currentInvocation();
  if (caller.kind === 'http') return handleHttp(event, router.dispatch, caller, envId);
  return router.handle(event, caller, envId);
}
