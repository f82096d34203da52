// One record per invocation: printed as a line in the terminal, kept (bounded) for the console,
// and streamed to listeners (server-sent events). An invocation made for an HTTP request is
// recorded once that request is answered, with the status its caller got.
import { EventEmitter } from 'node:events';
import { whenAnswered } from '../http/answer-status';
import { terminalSafe } from '../lib/terminal-text';
import type { InvocationRecord } from './invocation-record';
import { loggableRecord } from './loggable-record';

export type { InvocationRecord };

const KEEP = 500;

export class InvocationLog extends EventEmitter {
  private readonly records: InvocationRecord[] = [];

  constructor(private readonly print: boolean) {
    super();
  }

  add(record: InvocationRecord): void {
    if (!whenAnswered((status) => this.keep(withStatus(record, status)))) this.keep(record);
  }

  private keep(given: InvocationRecord): void {
    const record = loggableRecord(given);
    this.records.push(record);
    if (this.records.length > KEEP) this.records.shift();
    if (this.print) console.log(formatLine(record));
    this.emit('record', record);
  }

  list(): readonly InvocationRecord[] {
    return this.records;
  }
}

/** A function that returned is still not `ok` when its caller was answered with an error status. */
function withStatus(record: InvocationRecord, status: number | undefined): InvocationRecord {
  if (status === undefined) return record;
  if (record.outcome !== 'ok' || status < 400) return { ...record, status };
  return { ...record, status, outcome: 'error', error: `answered HTTP ${status}` };
}

/**
 * `[fn] <function>.<event> caller=<who> <outcome>[ <HTTP status>] <ms> api=<CloudBase API requests (database, storage, function calls)>[ cold=<ms>][ "<error>"]`.
 * Names, callers and errors come from callers: their control characters print as escapes (lib/terminal-text.ts).
 */
export function formatLine(r: InvocationRecord): string {
  const status = r.status !== undefined ? ` ${r.status}` : '';
  const cold = r.coldStartMs !== undefined ? ` cold=${r.coldStartMs.toFixed(0)}ms` : '';
  const err = r.error ? ` ${terminalSafe(JSON.stringify(r.error.slice(0, 200)))}` : '';
  const fn = terminalSafe(r.function);
  const event = terminalSafe(r.eventName);
  const caller = terminalSafe(r.caller);
  if (r.kind === 'cloud-call') return `[openapi] ${event} caller=${caller} ${r.outcome} ${r.durationMs.toFixed(1)}ms${err}`;
  if (r.kind === 'cloud-api') return `[api] ${fn}.${event} ${r.outcome} ${r.durationMs.toFixed(1)}ms${err}`;
  return `[fn] ${fn}.${event} caller=${caller} ${r.outcome}${status} ${r.durationMs.toFixed(1)}ms api=${r.dbCalls}${cold}${err}`;
}
