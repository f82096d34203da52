// Fires each function's timer trigger at its next CloudBase-cron time with CloudBase's timer
// event ({Type: "Timer", TriggerName, Time}) and SOURCE wx_trigger.
import type { FunctionCalls, InvokeOutcome } from '../runner/ports';
import { nextRun } from '../lib/cloudbase-cron';
import { TERMINAL_DIAGNOSTICS, type Diagnostics } from '../lib/output-sinks';
import { SYSTEM_CLOCK, type TimerClock } from '../lib/timer-clock';

export interface TimerInfo {
  function: string;
  trigger: string;
  cron: string;
  nextRun?: string;
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class TimerScheduler {
  private readonly handles = new Map<string, unknown>();
  private readonly next = new Map<string, Date | undefined>();
  private running = false;

  constructor(
    private readonly runner: FunctionCalls,
    private readonly clock: TimerClock = SYSTEM_CLOCK,
    /** Where a run that could not start is reported (a run's own failure is its invocation record's). */
    private readonly diagnostics: Diagnostics = TERMINAL_DIAGNOSTICS,
  ) {}

  list(): TimerInfo[] {
    return this.runner.definitions().flatMap((def) =>
      def.config.triggers.map((t) => ({ function: def.name, trigger: t.name, cron: t.config, nextRun: (this.next.get(`${def.name}/${t.name}`) ?? nextRun(t.config, this.now()))?.toISOString() })),
    );
  }

  start(): void {
    this.running = true;
    for (const def of this.runner.definitions()) for (const t of def.config.triggers) this.schedule(def.name, t.name, t.config, this.now());
  }

  /** A function's triggers changed (deployed or deleted): drop its timers and arm the current ones. */
  refresh(fnName: string): void {
    for (const [key, handle] of this.handles) {
      if (!key.startsWith(`${fnName}/`)) continue;
      this.clock.clearTimeout(handle);
      this.handles.delete(key);
      this.next.delete(key);
    }
    if (!this.running) return;
    const def = this.runner.definitions().find((d) => d.name === fnName);
    for (const t of def?.config.triggers ?? []) this.schedule(fnName, t.name, t.config, this.now());
  }

  stop(): void {
    this.running = false;
    for (const h of this.handles.values()) this.clock.clearTimeout(h);
    this.handles.clear();
    this.next.clear();
  }

  /**
   * Runs a trigger now; `time` is the scheduled time reported in the event (defaults to now).
   * `source` '' runs it with no SOURCE at all, as a trigger whose SOURCE is undocumented (one the
   * tcb CLI created) might.
   */
  fire(fnName: string, triggerName: string, time = this.now(), source = 'wx_trigger'): Promise<InvokeOutcome> {
    const def = this.runner.definitions().find((d) => d.name === fnName);
    if (!def?.config.triggers.some((t) => t.name === triggerName)) throw new Error(`no trigger ${triggerName} on function ${fnName}`);
    return this.runner.invoke(fnName, { Type: 'Timer', TriggerName: triggerName, Time: time.toISOString().replace(/\.\d{3}Z$/, 'Z') }, { source });
  }

  private schedule(fnName: string, triggerName: string, cron: string, after: Date): void {
    if (!this.running) return;
    const key = `${fnName}/${triggerName}`;
    const when = nextRun(cron, after);
    this.next.set(key, when);
    if (!when) return;
    const delay = Math.max(0, when.getTime() - this.clock.now());
    const handle = this.clock.setTimeout(() => {
      if (delay > MAX_TIMEOUT_MS) return this.schedule(fnName, triggerName, cron, after);
      // The next run is armed before this one finishes (runs may overlap, as in the cloud) and is
      // computed from the scheduled time: a timer firing a millisecond early must not run twice.
      this.schedule(fnName, triggerName, cron, new Date(Math.max(this.clock.now(), when.getTime())));
      this.fire(fnName, triggerName, when).catch((err: unknown) => this.diagnostics.error(`[timers] ${key} failed to run`, err));
    }, Math.min(delay, MAX_TIMEOUT_MS));
    this.handles.set(key, handle);
  }

  private now(): Date {
    return new Date(this.clock.now());
  }
}
