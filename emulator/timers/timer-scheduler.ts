// Fires each function's timer trigger at its next CloudBase-cron time with CloudBase's timer
// event ({Type: "Timer", TriggerName, Time}) and SOURCE wx_trigger.
import type { FunctionRunner } from '../runner/function-runner';
import { nextRun } from './cloudbase-cron';

export interface TimerInfo {
  function: string;
  trigger: string;
  cron: string;
  nextRun?: string;
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class TimerScheduler {
  private readonly handles = new Map<string, NodeJS.Timeout>();
  private readonly next = new Map<string, Date | undefined>();

  constructor(private readonly runner: FunctionRunner) {}

  list(): TimerInfo[] {
    return this.runner.definitions().flatMap((def) =>
      def.config.triggers.map((t) => ({ function: def.name, trigger: t.name, cron: t.config, nextRun: (this.next.get(`${def.name}/${t.name}`) ?? nextRun(t.config, new Date()))?.toISOString() })),
    );
  }

  start(): void {
    for (const def of this.runner.definitions()) for (const t of def.config.triggers) this.schedule(def.name, t.name, t.config);
  }

  stop(): void {
    for (const h of this.handles.values()) clearTimeout(h);
    this.handles.clear();
  }

  fire(fnName: string, triggerName: string): ReturnType<FunctionRunner['invoke']> {
    const def = this.runner.definitions().find((d) => d.name === fnName);
    if (!def?.config.triggers.some((t) => t.name === triggerName)) throw new Error(`no trigger ${triggerName} on function ${fnName}`);
    return this.runner.invoke(fnName, { Type: 'Timer', TriggerName: triggerName, Time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') }, { source: 'wx_trigger' });
  }

  private schedule(fnName: string, triggerName: string, cron: string): void {
    const key = `${fnName}/${triggerName}`;
    const when = nextRun(cron, new Date());
    this.next.set(key, when);
    if (!when) return;
    const delay = Math.max(0, when.getTime() - Date.now());
    const handle = setTimeout(() => {
      if (delay > MAX_TIMEOUT_MS) return this.schedule(fnName, triggerName, cron);
      void this.fire(fnName, triggerName).finally(() => this.schedule(fnName, triggerName, cron));
    }, Math.min(delay, MAX_TIMEOUT_MS));
    handle.unref();
    this.handles.set(key, handle);
  }
}
