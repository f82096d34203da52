// What the invocation log keeps of a record: its event and result only when they serialise within
// the emulator's one JSON depth limit (http/json-request.ts). A value that does not (nested too
// deep for JSON.stringify, cyclic) would make every later GET /_emulator/logs answer 500 and close
// the console's log stream on connect, until the record aged out; it is kept as a note instead.
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../http/json-request';
import type { InvocationRecord } from './invocation-record';

function loggable(value: unknown): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return value;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    return `<not kept: ${(err as Error).message}>`;
  }
  return text !== undefined && jsonDepthExceeds(text, MAX_JSON_DEPTH) ? `<not kept: nested deeper than ${MAX_JSON_DEPTH} levels>` : value;
}

export function loggableRecord(record: InvocationRecord): InvocationRecord {
  const event = loggable(record.event);
  const result = loggable(record.result);
  return event === record.event && result === record.result ? record : { ...record, event, result };
}
