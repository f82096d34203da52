// Runs invocations of one function in its instances (processes on the function's Node.js, or
// worker threads with `--runtime host`): one invocation per instance at a time, warm instances
// reused, more instances (bounded) for concurrent calls, the configured timeout enforced, and a
// crashed or timed-out instance discarded without touching other calls.
import { randomUUID } from 'node:crypto';
import type { FunctionDefinition } from './function-registry';
import { startInstance, type InstanceChannel, type InstanceMessage, type InstanceMode } from './instance-channel';
import type { FunctionOutput } from '../lib/output-sinks';

export interface InvocationRequest {
  event: unknown;
  /** Per-call environment (WX_OPENID, TCB_SOURCE, ...). */
  env: Record<string, string>;
  requestId: string;
  /** Told which instance serves the call, before the event is sent. */
  onStart?: (instanceId: string) => void;
}

export type InvocationOutcome = { durationMs: number; instanceId: string; coldStartMs?: number; /** The instance's heap in use after the call. */ memBytes?: number; /** The tail of what the function logged during the call. */ logs?: string } & (
  | { ok: true; result: unknown }
  | { ok: false; kind: 'error' | 'timeout' | 'crash'; message: string; errCode?: number; stack?: string }
);

interface Instance {
  id: string;
  /** Set once the instance's Node.js is known and the instance started. */
  channel?: InstanceChannel;
  stopped?: boolean;
  busy: boolean;
  ready: Promise<number>;
  /** Why the instance died (an exit or uncaught error), possibly before it served anything. */
  deathReason?: string;
  current?: (outcome: DoneMessage | { type: 'crash'; message: string }) => void;
}

type DoneMessage = Extract<InstanceMessage, { type: 'done' }>;

/**
 * Instances per function when not configured: chosen from `npm run bench` (instance-limit part) on
 * a 2-core machine, where more concurrent instances than cores lowered throughput (README).
 */
export const DEFAULT_MAX_INSTANCES_PER_FUNCTION = 2;

export interface PoolOptions {
  /** Environment every instance starts with (CloudBase runtime variables). */
  baseEnv: (instanceId: string) => Record<string, string>;
  perCallKeys: readonly string[];
  maxInstances: number;
  /** A process on the function's Node.js executable, or a worker thread in the emulator. */
  mode: () => Promise<InstanceMode>;
  /** Where the instances' console output goes. */
  output: FunctionOutput;
}

export class FunctionPool {
  private readonly instances: Instance[] = [];
  private readonly waiting: Array<(instance: Instance) => void> = [];
  private draining = false;

  constructor(
    readonly definition: FunctionDefinition,
    private readonly options: PoolOptions,
  ) {}

  get size(): number {
    return this.instances.length;
  }

  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    const { instance, coldStartMs } = await this.acquire();
    const started = performance.now();
    const timeoutMs = this.definition.config.timeout * 1000;
    const outcome = await new Promise<DoneMessage | { type: 'crash'; message: string } | { type: 'timeout' }>((resolve) => {
      const timer = setTimeout(() => resolve({ type: 'timeout' }), timeoutMs);
      instance.current = (msg) => {
        clearTimeout(timer);
        resolve(msg);
      };
      request.onStart?.(instance.id);
      // An instance that died while loading its bundle answers nothing: fail the call now.
      if (instance.deathReason) return instance.current({ type: 'crash', message: instance.deathReason });
      instance.channel?.send({ id: request.requestId, event: request.event, env: request.env, context: { request_id: request.requestId, function_name: this.definition.name } });
    });
    instance.current = undefined;
    const durationMs = performance.now() - started;
    const base = { durationMs, instanceId: instance.id, coldStartMs, memBytes: outcome.type === 'done' ? outcome.heapBytes : undefined, logs: outcome.type === 'done' ? outcome.logs : undefined };
    if (outcome.type === 'timeout') {
      this.discard(instance);
      return { ok: false, kind: 'timeout', message: `Invoking task timed out after ${this.definition.config.timeout} seconds`, ...base };
    }
    if (outcome.type === 'crash') {
      this.discard(instance);
      return { ok: false, kind: 'crash', message: outcome.message, ...base };
    }
    this.release(instance);
    if (outcome.ok) return { ok: true, result: JSON.parse(outcome.result ?? 'null'), ...base };
    return { ok: false, kind: 'error', message: outcome.error?.message ?? 'unknown error', errCode: outcome.error?.errCode, stack: outcome.error?.stack, ...base };
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.splice(0).map((i) => stop(i)));
  }

  /** Replaced by a new version: idle instances stop now, busy ones when their calls (and queued ones) finish. */
  drain(): void {
    this.draining = true;
    for (const instance of this.instances.filter((i) => !i.busy)) this.discardIdle(instance);
  }

  private async acquire(): Promise<{ instance: Instance; coldStartMs?: number }> {
    const idle = this.instances.find((i) => !i.busy);
    if (idle) {
      idle.busy = true;
      return { instance: idle };
    }
    if (this.instances.length < this.options.maxInstances) {
      const instance = this.spawn();
      instance.busy = true;
      const coldStartMs = await instance.ready;
      return { instance, coldStartMs };
    }
    const instance = await new Promise<Instance>((resolve) => this.waiting.push(resolve));
    return { instance };
  }

  private release(instance: Instance): void {
    const next = this.waiting.shift();
    if (next) next(instance);
    else if (this.draining) this.discardIdle(instance);
    else instance.busy = false;
  }

  private discardIdle(instance: Instance): void {
    this.forget(instance);
    void stop(instance);
  }

  private discard(instance: Instance): void {
    const index = this.instances.indexOf(instance);
    if (index >= 0) this.instances.splice(index, 1);
    void stop(instance);
    const next = this.waiting.shift();
    if (next) {
      const replacement = this.spawn();
      replacement.busy = true;
      void replacement.ready.then(() => next(replacement));
    }
  }

  private spawn(): Instance {
    const id = randomUUID().slice(0, 8);
    let markReady!: (ms: number) => void;
    const ready = new Promise<number>((resolve) => (markReady = resolve));
    const instance: Instance = { id, busy: false, ready };
    const die = (message: string) => {
      instance.deathReason ??= message;
      markReady(0);
      if (instance.current) instance.current({ type: 'crash', message });
      else this.forget(instance);
    };
    this.options.mode().then((mode) => {
      if (instance.stopped) return;
      // Cold start as the caller pays it: from starting the instance (a process boots its Node.js
      // first) until the bundle is loaded.
      const started = performance.now();
      const channel = startInstance(mode, { entry: this.definition.entry, handlerExport: this.definition.handlerExport ?? 'main', perCallKeys: this.options.perCallKeys }, this.options.baseEnv(id), this.options.output);
      instance.channel = channel;
      channel.onMessage((msg) => {
        if (msg.type === 'ready') markReady(performance.now() - started);
        else if (msg.type === 'done') instance.current?.(msg);
      });
      channel.onDeath(die);
    }, (err: unknown) => die(`function instance could not start: ${(err as Error).message}`));
    this.instances.push(instance);
    return instance;
  }

  private forget(instance: Instance): void {
    const index = this.instances.indexOf(instance);
    if (index >= 0) this.instances.splice(index, 1);
  }
}

function stop(instance: Instance): Promise<void> {
  instance.stopped = true;
  return instance.channel?.stop() ?? Promise.resolve();
}
