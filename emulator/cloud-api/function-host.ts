// What the cloud API needs from the function runner, as a small interface the server wires in:
// list, replace, remove and invoke the functions the emulator serves.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface HostedFunction {
  name: string;
  source: 'build' | 'tcb deploy';
  /** The folder holding the function's code (the unpacked zip, or the build's output). */
  codeDir: string;
  /** CloudBase's handler: `<file>.<export>`, e.g. index.main. */
  handler: string;
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
  add(record: import('../runner/invocation-record').InvocationRecord): void;
}

/** sha256 of the file a function's handler names (its bundle), or undefined when it cannot be read. */
export function bundleDigest(fn: HostedFunction): string | undefined {
  const file = path.join(fn.codeDir, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.js`);
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}
