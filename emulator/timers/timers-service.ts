// Timer triggers as an emulated service: each function's timers fire on their CloudBase-cron
// schedule (unless the emulator was started without), are re-armed when a function is deployed or
// removed, and can be listed and fired through the control routes.
import { ApiError, pathParam } from '../http/api-table';
import { FUNCTION_CHANGES, FUNCTIONS } from '../runner/ports';
import type { ServiceFactory } from '../service';
import { TIMERS } from './ports';
import { TimerScheduler } from './timer-scheduler';

export const timersService: ServiceFactory = ({ options, ports }) => {
  const timers = new TimerScheduler(ports.need(FUNCTIONS), options.timerClock);
  ports.need(FUNCTION_CHANGES)((name) => timers.refresh(name));
  ports.offer(TIMERS, timers);
  return {
    name: 'timers',
    control: [
      ['GET', '/_emulator/timers', () => timers.list()],
      ['POST', /^\/_emulator\/functions\/([^/]+)\/triggers\/([^/]+)\/fire$/, async (r) => {
        const what = 'the function or trigger name in the path';
        const [fn, trigger] = [pathParam(r, 0, what), pathParam(r, 1, what)];
        if (!timers.list().some((t) => t.function === fn && t.trigger === trigger)) throw new ApiError(404, `no trigger ${trigger} on function ${fn}`);
        const outcome = await timers.fire(fn, trigger);
        return outcome.ok ? { ok: true, result: outcome.result } : { ok: false, error: outcome.message };
      }],
    ],
    start: () => {
      if (options.scheduleTimers ?? true) timers.start();
    },
    close: () => timers.stop(),
  };
};
