// What the emulator records of one invocation. Type only, so the console UI (a browser bundle) can
// share it without pulling in Node modules.
export interface InvocationRecord {
  id: string;
  /**
   * A function invocation (the default), a request to the emulator's Tencent Cloud API, or a cloud
   * call (cloud.openapi: `function` is 'openapi', `eventName` the API, `caller` the calling function and user).
   */
  kind?: 'cloud-api' | 'cloud-call';
  function: string;
  eventName: string;
  caller: string;
  source: string;
  startedAt: string;
  durationMs: number;
  coldStartMs?: number;
  /** CloudBase API requests the instance made during this invocation (database calls, function calls). */
  dbCalls: number;
  /**
   * How many times the instance started a CloudBase API request while none of its others was in
   * flight (requests that overlap in time count once). It depends on timing: two requests sent
   * together count once only if the first is still unanswered when the second arrives. It is a
   * figure for `npm run bench`, which adds 30 ms to every request so that overlap is certain; the
   * log line does not show it.
   */
  dbRoundTrips: number;
  /** The HTTP status the request that caused this invocation was answered with (none for a scheduled timer). */
  status?: number;
  /** `ok`: the function returned and its caller was answered with a status below 400. */
  outcome: 'ok' | 'error' | 'timeout' | 'crash';
  error?: string;
  event: unknown;
  result?: unknown;
}
