// The timers service's control routes.
import { ApiError, pathParam, type ApiTable } from '../http/api-table';
import type { TimerScheduler } from './timer-scheduler';

/**
 * GET /_emulator/timers and POST /_emulator/functions/<fn>/triggers/<trigger>/fire; the fire's
 * optional body {source: ""} fires with no SOURCE, as a CLI-made trigger might (timer-scheduler.ts).
 */
export const timersControlRoutes = (timers: TimerScheduler) => ({
  timers: ['GET', '/_emulator/timers', () => timers.list()],
  fire: ['POST', /^\/_emulator\/functions\/([^/]+)\/triggers\/([^/]+)\/fire$/, async (r) => {
    const what = 'the function or trigger name in the path';
    const [fn, trigger] = [pathParam(r, 0, what), pathParam(r, 1, what)];
    if (!timers.list().some((t) => t.function === fn && t.trigger === trigger)) throw new ApiError(404, `no trigger ${trigger} on function ${fn}`);
    if (r.body.source !== undefined && typeof r.body.source !== 'string') throw new ApiError(400, 'source must be a string');
    const outcome = await timers.fire(fn, trigger, new Date(), r.body.source as string | undefined);
    return outcome.ok ? { ok: true, result: outcome.result } : { ok: false, error: outcome.message };
  }],
}) satisfies ApiTable;
