// MongoDB refuses an update operator applied to a value of the wrong type ($inc on a string,
// $push on a number, a field created inside a scalar); mingo silently skips it, which would
// report a successful update that changed nothing. Check first and fail the way MongoDB does.
import { DatabaseError } from './database-error';

type Query = Record<string, unknown>;

const NUMERIC = new Set(['$inc', '$mul']);
const ARRAY = new Set(['$push', '$addToSet', '$pull', '$pullAll', '$pop']);
/** Operators that only take something away: a path through a scalar is a no-op for them. */
const REMOVING = new Set(['$unset', '$pull', '$pullAll', '$pop']);

export function assertUpdateApplies(doc: Query, modifier: Query): void {
  for (const [op, fields] of Object.entries(modifier)) {
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
      throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `${op} expects an object of field paths`);
    }
    for (const [path, operand] of Object.entries(fields as Query)) {
      const found = resolve(doc, path);
      if (found.blockedBy !== undefined) {
        if (REMOVING.has(op)) continue;
        throw failure(`Cannot create field '${found.blockedBy.field}' in element {${found.blockedBy.parent}: ${describe(found.blockedBy.value)}}`);
      }
      if (op === '$rename' && typeof operand === 'string') assertUpdateApplies(doc, { $set: { [operand]: null } });
      if (NUMERIC.has(op)) {
        if (typeof operand !== 'number') throw failure(`Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${describe(operand)}}`);
        if (found.value !== undefined && typeof found.value !== 'number') {
          throw failure(`Cannot apply ${op} to a value of non-numeric type. The field '${path}' has non-numeric type ${typeName(found.value)}`);
        }
      }
      if (ARRAY.has(op) && found.value !== undefined && !Array.isArray(found.value)) {
        throw failure(`Cannot apply ${op} to a non-array value. The field '${path}' must be an array but is of type ${typeName(found.value)}`);
      }
    }
  }
}

interface Resolved {
  value: unknown;
  blockedBy?: { field: string; parent: string; value: unknown };
}

function resolve(doc: Query, path: string): Resolved {
  const parts = path.split('.');
  let current: unknown = doc;
  for (const [i, part] of parts.entries()) {
    if (current === undefined) return { value: undefined };
    // Positional segments ($, $[], $[id]) name array elements the query picks: checked by mingo.
    if (Array.isArray(current) && (part === '$' || part.startsWith('$['))) return { value: undefined };
    const container = Array.isArray(current) ? /^\d+$/.test(part) : isPlainObject(current);
    if (!container) return { value: undefined, blockedBy: { field: part, parent: parts[i - 1] ?? '', value: current } };
    current = (current as Record<string, unknown>)[part];
  }
  return { value: current };
}

function isPlainObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof RegExp);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  return typeof value;
}

function describe(value: unknown): string {
  return value instanceof Date ? value.toISOString() : JSON.stringify(value) ?? String(value);
}

function failure(message: string): DatabaseError {
  return new DatabaseError('DATABASE_REQUEST_FAILED', message);
}
