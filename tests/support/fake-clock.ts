// A fake clock (@sinonjs/fake-timers, the library behind jest's fake timers) that touches no global:
// the emulator's timer scheduler arms its runs on it, and a test moves time on with tick().
import FakeTimers from '@sinonjs/fake-timers';
import type { TimerClock } from '../../emulator/lib/timer-clock';

export interface FakeClock {
  /** What the scheduler is given (EmulatorOptions.timerClock). */
  timerClock: TimerClock;
  /** Moves time on by `ms`, running every timer that falls due on the way. */
  tick(ms: number): void;
  now(): number;
}

export function fakeClock(startIso: string): FakeClock {
  const clock = FakeTimers.createClock(new Date(startIso).getTime());
  return {
    timerClock: {
      now: () => clock.now,
      setTimeout: (run, ms) => clock.setTimeout(run, ms),
      clearTimeout: (handle) => clock.clearTimeout(handle as never),
    },
    tick: (ms) => void clock.tick(ms),
    now: () => clock.now,
  };
}
