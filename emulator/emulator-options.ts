// How the emulator is started (npm start's flags, a test's options); each service reads its own.
import type { TunnelTimeouts } from './http/connection-timeouts';
import type { Diagnostics, FunctionOutput } from './lib/output-sinks';
import type { TimerClock } from './lib/timer-clock';

export interface EmulatorSettings {
  port?: number;
  host?: string;
  /** Where data persists; ignored when inMemory. */
  dataDir?: string;
  inMemory?: boolean;
  functionsDirs?: string[];
  envId?: string;
  printLogs?: boolean;
  /** Concurrent instances per function; calls beyond it queue. */
  maxInstancesPerFunction?: number;
  /**
   * 'declared' (default): each function's instances are processes on the Node.js its runtime names.
   * 'host': worker threads on the emulator's Node.js (`--runtime host`; see docs/runtime.md).
   */
  runtime?: 'declared' | 'host';
  /** Where the runtimes' Node.js binaries are cached (default $EMULATOR_NODE_CACHE or node_modules/.cache). */
  nodeCacheDir?: string;
  /** Start timers on their cron schedule (the fire endpoint works either way). */
  scheduleTimers?: boolean;
  /** The clock timers are scheduled on (default: the system clock); tests pass a fake one. */
  timerClock?: TimerClock;
  exportJobDelayMs?: number;
  /** Added to every CloudBase API call, to simulate the cloud's network round trip. */
  dbLatencyMs?: number;
  downloadUrlTtlMs?: number;
  accessTokenTtlSeconds?: number;
  /** Host names served besides 127.0.0.1, [::1], localhost and `host` (--allow-host); any other Host gets 421 (http/host-check.ts). */
  allowHosts?: string[];
  /** Origins allowed to call /functions and /storage from a browser, besides loopback pages and servicewechat.com. */
  corsOrigins?: string[];
  /** Storage rules (CloudBase console format); default: storage.rules.json at the project root. */
  storageRulesFile?: string;
  /** An upload that sends nothing for this long is dropped with COS's RequestTimeout (default 30 s). */
  uploadIdleTimeoutMs?: number;
  /** Bounds for the tcb CLI's CONNECT tunnels (tests shorten them); default: a 15 s TLS handshake, then the port's own timeouts. */
  tunnelTimeouts?: Partial<TunnelTimeouts>;
  /** Extra configuration variables for every function. */
  functionEnv?: Record<string, string>;
  /** Where the functions' console output goes (default: this process's stdout and stderr). */
  functionOutput?: FunctionOutput;
  /** Where the emulator's own errors and warnings go (default: console.error and console.warn). */
  diagnostics?: Diagnostics;
}
