// Functions screen API: each served function with its handlers, triggers, HTTP paths and
// deployment history (the build, tcb deploys), and an invoke that runs one with a simulated
// caller and returns the outcome with its database calls.
import { ApiError, pathParam, type ApiTable } from '../http/api-table';
import { UnknownFunctionError, type FunctionRunner } from './function-runner';
import type { Deployment } from './function-host';

/** Deployments through the cloud API, or else the build the function is served from. */
function deploymentsOf(runner: FunctionRunner, deployments: (name: string) => Deployment[], name: string): Deployment[] {
  const deployed = deployments(name);
  if (deployed.length) return deployed;
  const origin = runner.definition(name)?.origin;
  return origin ? [{ source: origin.source, action: origin.source === 'build' ? 'build' : 'deploy', at: origin.at, bytes: origin.bytes }] : [];
}

/** A simulated CloudBase web user ({uid?, customUserId?, isAnonymous?}), as function-runner.ts injects it. */
function webUserOf(raw: unknown): { uid?: string; customUserId?: string; isAnonymous: boolean } | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ApiError(400, 'webUser must be an object');
  const w = raw as Record<string, unknown>;
  const str = (k: string) => {
    if (w[k] !== undefined && typeof w[k] !== 'string') throw new ApiError(400, `webUser.${k} must be a string`);
    return typeof w[k] === 'string' && (w[k] as string).trim() !== '' ? (w[k] as string).trim() : undefined;
  };
  const user = { uid: str('uid'), customUserId: str('customUserId'), isAnonymous: w.isAnonymous === true };
  return user.uid || user.customUserId || user.isAnonymous ? user : undefined;
}

export const functionsConsoleRoutes = (runner: FunctionRunner, deployments: () => (name: string) => Deployment[]) => ({
  functions: ['GET', /^\/_emulator\/console\/functions$/, () =>
    Promise.all(runner.definitions().map(async (d) => ({
      name: d.name,
      ...(await runner.runtimeOf(d.name)),
      handlers: d.config.handlers,
      triggers: d.config.triggers.map((t) => ({ name: t.name, cron: t.config })),
      timerHandler: d.config.timerHandler ?? null,
      httpPaths: d.config.httpPaths,
      timeoutSeconds: d.config.timeout,
      instances: runner.instanceCount(d.name),
      deployments: deploymentsOf(runner, deployments(), d.name),
    })))],
  invoke: ['POST', /^\/_emulator\/console\/functions\/([^/]+)\/invoke$/, async (r) => {
    const { body } = r;
    const name = pathParam(r, 0);
    const event = body.event ?? {};
    if (!event || typeof event !== 'object' || Array.isArray(event)) throw new ApiError(400, 'event must be a JSON object');
    if (body.openid !== undefined && typeof body.openid !== 'string') throw new ApiError(400, 'openid must be a string');
    const openid = typeof body.openid === 'string' && body.openid.trim() !== '' ? body.openid.trim() : undefined;
    const webUser = openid ? undefined : webUserOf(body.webUser);
    let outcome;
    try {
      outcome = await runner.invoke(name, event, openid
        ? { openid, appid: runner.miniProgramAppid(), source: 'wx_client' }
        : webUser ? { webUser, source: '' } : { source: 'tcb_cli' });
    } catch (err) {
      if (err instanceof UnknownFunctionError) throw new ApiError(404, err.message);
      throw err;
    }
    return {
      requestId: outcome.requestId,
      ok: outcome.ok,
      result: outcome.ok ? outcome.result : undefined,
      error: outcome.ok ? undefined : outcome.message,
      outcome: outcome.ok ? 'ok' : outcome.kind,
      caller: openid ? `user:${openid}` : webUser ? `web:${webUser.customUserId ?? webUser.uid ?? 'anonymous'}${webUser.isAnonymous ? ' (anonymous)' : ''}` : 'tcb_cli',
      durationMs: outcome.durationMs,
      coldStartMs: outcome.coldStartMs,
      dbCalls: outcome.dbCalls,
    };
  }],
}) satisfies ApiTable;
