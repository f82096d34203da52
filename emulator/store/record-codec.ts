// One stored document as one line of JSON, in the line format nedb wrote (so data folders from
// before this store load unchanged): a Date is {"$$date": ms}, a deletion is
// {"$$deleted": true, "_id": ...}, and nedb's {"$$indexCreated": ...} lines are ignored. A RegExp
// value is {"$$regex": [source, flags]}. Stored documents never hold a field name starting with `$`
// (insert refuses it), so these markers cannot collide with data.
import { DatabaseError } from './database-error';

export type StoredDoc = Record<string, unknown> & { _id: unknown };

/** What one line of a collection file says. */
export type LogEntry = { kind: 'put'; doc: StoredDoc } | { kind: 'delete'; id: unknown } | { kind: 'meta' };

export function serializeDoc(doc: Record<string, unknown>): string {
  return JSON.stringify(doc, replacer);
}

/** Any value (an `_id` or an indexed value) as the same text the file holds. */
export function serializeValue(value: unknown): string {
  return JSON.stringify({ v: value }, replacer).slice(5, -1);
}

export function serializeDelete(id: unknown): string {
  return JSON.stringify({ $$deleted: true, _id: id }, replacer);
}

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // JSON.stringify has already called Date#toJSON on `value`; the holder still has the Date.
  const original = key === '' ? value : this[key];
  // Tagged, not instanceof: a Date from another realm (structuredClone, a vm context) is still a Date.
  const tag = original !== null && typeof original === 'object' ? Object.prototype.toString.call(original) : '';
  if (tag === '[object Date]') return { $$date: (original as Date).getTime() };
  if (tag === '[object RegExp]') return { $$regex: [(original as RegExp).source, (original as RegExp).flags] };
  return value;
}

/**
 * Parses one line; throws a plain Error saying what is wrong (the caller adds file and line).
 * Without `revive`, dates stay {"$$date": ms} objects: enough for loading, which only needs `_id`
 * and indexed values (whose index keys are this same text either way), and cheaper.
 */
export function parseLine(text: string, reviveValues = true): LogEntry {
  const raw: unknown = JSON.parse(text);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('a line must hold a JSON object');
  const record = reviveValues && text.includes('"$$') ? (revive(raw) as Record<string, unknown>) : (raw as Record<string, unknown>);
  if ('$$indexCreated' in record || '$$indexRemoved' in record) return { kind: 'meta' };
  if (!('_id' in record)) throw new Error('a document line has no _id');
  if (record.$$deleted === true) return { kind: 'delete', id: record._id };
  return { kind: 'put', doc: record as StoredDoc };
}

/** A stored document from its bytes (written by this process, so known to be well formed). */
export function decodeDoc(bytes: Buffer): StoredDoc {
  const entry = parseLine(bytes.toString('utf8'));
  if (entry.kind !== 'put') throw new Error('a stored document slot holds a non-document line');
  return entry.doc;
}

function revive(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  if ('$$date' in record && typeof record.$$date === 'number') return new Date(record.$$date);
  if ('$$regex' in record && Array.isArray(record.$$regex)) return new RegExp(String(record.$$regex[0]), String(record.$$regex[1] ?? ''));
  for (const k of Object.keys(record)) record[k] = revive(record[k]);
  return record;
}

/**
 * MongoDB refuses field names that start with `$` in stored documents (CloudBase answers
 * DATABASE_REQUEST_FAILED). Names containing `.` are allowed, as in MongoDB 5.0+ and CloudBase.
 */
export function assertStorableFields(value: unknown, path = ''): void {
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof RegExp) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertStorableFields(v, `${path}.${i}`));
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('$')) {
      throw new DatabaseError('DATABASE_REQUEST_FAILED', `Document can't have $ prefixed field names: ${path ? `${path.slice(1)}.` : ''}${key}`);
    }
    assertStorableFields(v, `${path}.${key}`);
  }
}
