// Converts between the SDK's canonical EJSON strings and plain JS values the store understands.
import { BSONRegExp, EJSON } from 'bson';

export class CodecError extends Error {}

/** Parse one EJSON string from the SDK; resolves `$tcb_server_date` to the emulator's clock. */
export function decodeEjson(text: unknown, now: Date): unknown {
  if (typeof text !== 'string') throw new CodecError('expected an EJSON string');
  let parsed: unknown;
  try {
    parsed = EJSON.parse(text, { relaxed: true });
  } catch (err) {
    throw new CodecError(`invalid EJSON: ${(err as Error).message}`);
  }
  return toPlain(parsed, now);
}

function toPlain(value: unknown, now: Date): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (value instanceof RegExp) return value;
  if (value instanceof BSONRegExp) return new RegExp(value.pattern, value.options.replace(/[^imsu]/g, ''));
  if (Array.isArray(value)) return value.map((v) => toPlain(v, now));
  const bsonType = (value as { _bsontype?: string })._bsontype;
  if (bsonType === 'ObjectId') return (value as { toHexString(): string }).toHexString();
  if (bsonType === 'Long' || bsonType === 'Double' || bsonType === 'Int32' || bsonType === 'Decimal128') {
    return Number(value.toString());
  }
  const record = value as Record<string, unknown>;
  if ('$tcb_server_date' in record) {
    const spec = record.$tcb_server_date as { offset?: unknown } | undefined;
    const given = toPlain(spec?.offset ?? 0, now);
    const offset = typeof given === 'number' && Number.isFinite(given) ? given : 0;
    return new Date(now.getTime() + offset);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = toPlain(v, now);
  return out;
}

/** Serialise a stored document the way CloudBase returns it (canonical EJSON). */
export function encodeEjson(value: unknown): string {
  return EJSON.stringify(value as Parameters<typeof EJSON.stringify>[0], { relaxed: false });
}
