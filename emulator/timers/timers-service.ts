// Timer triggers as an emulated service: each function's timers fire on their CloudBase-cron
// schedule (unless the emulator was started without), are re-armed when a function is deployed or
// removed, and can be listed and fired through the control routes.
import { FUNCTION_CHANGES, FUNCTIONS } from '../runner/ports';
import type { ServiceFactory } from '../service';
import { TIMERS } from './ports';
import { TimerScheduler } from './timer-scheduler';
import { timersControlRoutes } from './timers-control';

export const timersService: ServiceFactory = ({ options, ports, diagnostics }) => {
  const timers = new TimerScheduler(ports.need(FUNCTIONS), options.timerClock, diagnostics);
  ports.need(FUNCTION_CHANGES)((name) => timers.refresh(name));
  ports.offer(TIMERS, timers);
  return {
    name: 'timers',
    control: timersControlRoutes(timers),
    start: () => {
      if (options.scheduleTimers ?? true) timers.start();
    },
    close: () => timers.stop(),
  };
};
