// The ports the functions service offers the cloud API (runner/ports.ts): list, replace, remove
// and invoke the functions the emulator serves, and write to its invocation log.
import type { InvocationRecord } from './invocation-record';

export interface HostedFunction {
  name: string;
  source: 'build' | 'tcb deploy';
  /** The folder holding the function's code (the unpacked zip, or the build's output). */
  codeDir: string;
  /** CloudBase's handler: `<file>.<export>`, e.g. index.main. */
  handler: string;
  /** CloudBase's runtime (e.g. Nodejs20.19): set by CreateFunction, or the build's declaration. */
  runtime: string;
  timeout: number;
  memorySize: number;
  /** The function's own configuration variables; undefined for a build served with the emulator's. */
  env?: Record<string, string>;
  timers: Array<{ name: string; cron: string }>;
  httpPaths: string[];
  bytes: number;
  updatedAt: string;
}

export type HostInvokeOutcome = { durationMs: number; requestId: string; memBytes?: number; logs?: string } & (
  | { ok: true; result: unknown }
  | { ok: false; kind: 'error' | 'timeout' | 'crash'; message: string; stack?: string }
);

export interface FunctionHost {
  list(): HostedFunction[];
  get(name: string): HostedFunction | undefined;
  /** Serves `fn` from now on (code, configuration, timers, HTTP paths), replacing any function of that name. */
  put(fn: HostedFunction): void;
  remove(name: string): boolean;
  /** Runs the function as a server-side caller (what `tcb fn invoke` is). */
  invoke(name: string, event: unknown): Promise<HostInvokeOutcome>;
}

/** What the cloud API writes to the emulator's invocation log. */
export interface ApiLog {
  add(record: InvocationRecord): void;
}

/** A function's deployment through the cloud API (tcb fn deploy), or the build it is served from. */
export interface Deployment { source: 'build' | 'tcb deploy'; action: string; at: string; bytes: number }
