// What the emulator records of one invocation. Type only, so the console UI (a browser bundle) can
// share it without pulling in Node modules.
export interface InvocationRecord {
  id: string;
  /** A function invocation (the default) or a request to the emulator's Tencent Cloud API. */
  kind?: 'cloud-api';
  function: string;
  eventName: string;
  caller: string;
  source: string;
  startedAt: string;
  durationMs: number;
  coldStartMs?: number;
  dbCalls: number;
  /** Sequential database round-trip times: overlapping calls count once. */
  dbRoundTrips: number;
  outcome: 'ok' | 'error' | 'timeout' | 'crash';
  error?: string;
  event: unknown;
  result?: unknown;
}
