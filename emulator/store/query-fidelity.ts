// Where mingo's query and projection operators differ from MongoDB's, the MongoDB meaning, and the
// operand checks MongoDB makes when it parses a query (mingo accepts `$in: 5` or `$mod: [2]` and
// answers something; MongoDB refuses the query). Each message is the MongoDB server's.
import { Query, ensureArray, isNumber, operatorModules, resolve, type Options } from './mingo-modules';
import { DatabaseError } from './database-error';
import { ownEntry } from '../lib/own-entry';

type Predicate = (doc: unknown) => boolean;
type QueryOperator = (selector: string, value: unknown, options: Options) => Predicate;
type ProjectionOperator = (obj: Record<string, unknown>, expr: unknown, field: string, options: Options) => unknown;

const refuse = (message: string): DatabaseError => new DatabaseError('DATABASE_INVALID_OPERRATOR', message);
const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp);

/** MongoDB's `$type` aliases and numeric codes (manual: $type, "Available Types"). */
const TYPE_ALIASES = new Set(['double', 'string', 'object', 'array', 'binData', 'undefined', 'objectId', 'bool', 'date', 'null', 'regex', 'dbPointer', 'javascript', 'symbol', 'javascriptWithScope', 'int', 'timestamp', 'long', 'decimal', 'minKey', 'maxKey', 'number']);
const TYPE_CODES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, -1, 127]);

/** Checks an operand the way MongoDB's query parser does; throws its message. */
const OPERAND_CHECKS: Record<string, (value: unknown) => void> = {
  $in: (v) => {
    if (!Array.isArray(v)) throw refuse('$in needs an array');
  },
  $nin: (v) => {
    if (!Array.isArray(v)) throw refuse('$nin needs an array');
  },
  $all: (v) => {
    if (!Array.isArray(v)) throw refuse('$all needs an array');
  },
  $size: (v) => {
    if (typeof v !== 'number') throw refuse('$size needs a number');
    if (!Number.isInteger(v)) throw refuse(`$size must be a whole number, got ${v}`);
    if (v < 0) throw refuse(`$size may not be negative, got ${v}`);
  },
  $exists: () => undefined,
  $type: (v) => {
    for (const t of Array.isArray(v) ? v : [v]) {
      if (typeof t === 'string' && !TYPE_ALIASES.has(t)) throw refuse(`Unknown type name alias: ${t}`);
      if (typeof t === 'number' && !TYPE_CODES.has(t)) throw refuse(`Invalid numerical type code: ${t}`);
      if (typeof t !== 'string' && typeof t !== 'number') throw refuse('type must be represented as a number or a string');
    }
  },
  $regex: (v) => {
    if (typeof v !== 'string' && !(v instanceof RegExp)) throw refuse('$regex has to be a string');
  },
  $options: (v) => {
    if (typeof v !== 'string') throw refuse('$options has to be a string');
  },
  $elemMatch: (v) => {
    if (!isPlainObject(v)) throw refuse('$elemMatch needs an Object');
  },
  $not: (v) => {
    if (!(v instanceof RegExp) && !isPlainObject(v)) throw refuse('$not needs a regex or a document');
    if (isPlainObject(v) && Object.keys(v).length === 0) throw refuse('$not cannot be empty');
  },
  $and: logicalCheck('$and'),
  $or: logicalCheck('$or'),
  $nor: logicalCheck('$nor'),
  $jsonSchema: (v) => {
    if (!isPlainObject(v)) throw refuse('$jsonSchema must be an object');
  },
  $bitsAllSet: bitsCheck('$bitsAllSet'),
  $bitsAllClear: bitsCheck('$bitsAllClear'),
  $bitsAnySet: bitsCheck('$bitsAnySet'),
  $bitsAnyClear: bitsCheck('$bitsAnyClear'),
};

function logicalCheck(op: string): (v: unknown) => void {
  return (v) => {
    if (!Array.isArray(v) || v.length === 0) throw refuse(`${op} must be a nonempty array`);
    if (!v.every(isPlainObject)) throw refuse(`${op} entries need to be full objects`);
  };
}

function bitsCheck(op: string): (v: unknown) => void {
  return (v) => {
    const positions = Array.isArray(v) ? v : [v];
    const valid = Array.isArray(v) ? positions.every((p) => Number.isInteger(p) && (p as number) >= 0) : Number.isInteger(v) && (v as number) >= 0;
    if (!valid) throw refuse(`${op} takes an Array, a number, or a BinData but received: ${JSON.stringify(v)}`);
  };
}

/** `{ f: { $mod: [divisor, remainder] } }`: numbers only, truncated toward zero (MongoDB manual, $mod). */
const $mod: QueryOperator = (selector, value) => {
  if (!Array.isArray(value)) throw refuse('malformed mod, needs to be an array');
  if (value.length < 2) throw refuse('malformed mod, not enough elements');
  if (value.length > 2) throw refuse('malformed mod, too many elements');
  const [divisor, remainder] = value as unknown[];
  if (typeof divisor !== 'number' || !Number.isFinite(divisor)) throw refuse('malformed mod, divisor not a number');
  if (typeof remainder !== 'number' || !Number.isFinite(remainder)) throw refuse('malformed mod, remainder not a number');
  const d = Math.trunc(divisor);
  const r = Math.trunc(remainder);
  if (d === 0) throw refuse('divisor cannot be 0');
  return (doc) => ensureArray(resolve(doc as Record<string, unknown>, selector, { unwrapArray: true })).some((x: unknown) => isNumber(x) && Number.isFinite(x) && Math.trunc(x) % d === r);
};

/**
 * `{ f: { $all: [a, b] } }` is `{ $and: [{ f: a }, { f: b }] }` (MongoDB manual, $all): it also
 * matches a scalar field equal to the one element, and an empty list matches nothing.
 */
const $all: QueryOperator = (selector, value, options) => {
  OPERAND_CHECKS.$all!(value);
  const list = value as unknown[];
  if (list.length === 0) return () => false;
  const parts = list.map((element) => {
    const condition = element instanceof RegExp || (isPlainObject(element) && '$elemMatch' in element) ? element : { $eq: element };
    return new Query({ [selector]: condition }, options);
  });
  return (doc) => parts.every((q) => q.test(doc as Record<string, unknown>));
};

/** `$where` runs JavaScript on the server; the emulator does not, and says so. */
const $where: QueryOperator = () => {
  throw refuse('query operator $where is not supported by the local emulator');
};

function checked(op: string, original: QueryOperator): QueryOperator {
  const check = ownEntry(OPERAND_CHECKS, op);
  if (!check) return original;
  return (selector, value, options) => {
    check(value);
    return original(selector, value, options);
  };
}

/** mingo's query operators with MongoDB's operand checks, and the operators it gets wrong replaced. */
export function fidelityQueryOperators(): Record<string, QueryOperator> {
  const ops: Record<string, QueryOperator> = {};
  for (const [name, fn] of Object.entries(operatorModules.query as unknown as Record<string, QueryOperator>)) {
    if (name.startsWith('$')) ops[name] = checked(name, fn);
  }
  return { ...ops, $mod, $all, $where };
}

/**
 * Projection `{ f: { $elemMatch: cond } }` also takes a condition on plain values
 * (`{ $elemMatch: { $gt: 4 } }`), as the query operator does; mingo only takes a document query.
 */
const projectElemMatch: ProjectionOperator = (obj, expr, field, options) => {
  if (!isPlainObject(expr)) throw refuse('elemMatch: Invalid argument, object required.');
  const onValues = Object.keys(expr).length > 0 && Object.keys(expr).every((k) => k.startsWith('$') && !['$and', '$or', '$nor', '$expr', '$where', '$jsonSchema'].includes(k));
  if (!onValues) return (operatorModules.projection.$elemMatch as unknown as ProjectionOperator)(obj, expr, field, options);
  const array = resolve(obj, field);
  if (!Array.isArray(array)) return undefined;
  const query = new Query({ v: expr }, options);
  const first = array.find((v) => query.test({ v }));
  return first === undefined ? undefined : [first];
};

export function fidelityProjectionOperators(): Record<string, ProjectionOperator> {
  return { ...(operatorModules.projection as unknown as Record<string, ProjectionOperator>), $elemMatch: projectElemMatch };
}
