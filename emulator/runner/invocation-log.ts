// One record per invocation: printed as a line in the terminal, kept (bounded) for the console,
// and streamed to listeners (server-sent events).
import { EventEmitter } from 'node:events';
import type { InvocationRecord } from './invocation-record';

export type { InvocationRecord };

const KEEP = 500;

export class InvocationLog extends EventEmitter {
  private readonly records: InvocationRecord[] = [];

  constructor(private readonly print: boolean) {
    super();
  }

  add(record: InvocationRecord): void {
    this.records.push(record);
    if (this.records.length > KEEP) this.records.shift();
    if (this.print) console.log(formatLine(record));
    this.emit('record', record);
  }

  list(): readonly InvocationRecord[] {
    return this.records;
  }
}

export function formatLine(r: InvocationRecord): string {
  const cold = r.coldStartMs !== undefined ? ` cold=${r.coldStartMs.toFixed(0)}ms` : '';
  const err = r.error ? ` ${JSON.stringify(r.error.slice(0, 200))}` : '';
  if (r.kind === 'cloud-api') return `[api] ${r.function}.${r.eventName} ${r.outcome} ${r.durationMs.toFixed(1)}ms${err}`;
  return `[fn] ${r.function}.${r.eventName} caller=${r.caller} ${r.outcome} ${r.durationMs.toFixed(1)}ms db=${r.dbCalls}/${r.dbRoundTrips}rt${cold}${err}`;
}
