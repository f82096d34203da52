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

/** Operators that stand for a whole document, not a field (MongoDB's kPathlessOperatorMap). */
const PATHLESS = new Set(['$alwaysFalse', '$alwaysTrue', '$and', '$atomic', '$comment', '$expr', '$jsonSchema', '$nor', '$or', '$sampleRate', '$text', '$where']);

/** MongoDB's parser: `$elemMatch` is on plain values when its first key is a field-less operator. */
const onPlainValues = (criteria: Record<string, unknown>): boolean => {
  const first = Object.keys(criteria)[0];
  return first !== undefined && first.startsWith('$') && !PATHLESS.has(first);
};

/**
 * An element `$elemMatch` with field conditions may match: a document, or an array, which BSON
 * holds as a document keyed "0", "1", … (BSONElement::isABSONObj). Anything else is skipped:
 * ElemMatchObjectMatchExpression::matchesArray; manual: $elemMatch, "Array of Embedded Documents".
 */
function asEmbeddedDocument(element: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(element)) return Object.fromEntries(element.map((v, i) => [String(i), v]));
  return Object.prototype.toString.call(element) === '[object Object]' ? (element as Record<string, unknown>) : undefined;
}

/** The element test of `$elemMatch` with field conditions (query and projection alike). */
function embeddedMatcher(criteria: Record<string, unknown>, options: Options): (element: unknown) => boolean {
  const query = new Query(criteria, options);
  return (element) => {
    const doc = asEmbeddedDocument(element);
    return doc !== undefined && query.test(doc);
  };
}

/**
 * `{ f: { $elemMatch: { field conditions } } }` tests only the elements that are documents; mingo
 * tests scalars too (its path lookup answers a scalar for any path). The form on plain values
 * (`{ $elemMatch: { $gt: 5 } }`) stays mingo's.
 */
const $elemMatch: QueryOperator = (selector, value, options) => {
  OPERAND_CHECKS.$elemMatch!(value);
  const criteria = value as Record<string, unknown>;
  if (onPlainValues(criteria)) return (operatorModules.query.$elemMatch as unknown as QueryOperator)(selector, value, options);
  const matches = embeddedMatcher(criteria, options);
  return (doc) => {
    const array = resolve(doc as Record<string, unknown>, selector, { unwrapArray: true });
    return Array.isArray(array) && array.some(matches);
  };
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
  return { ...ops, $mod, $all, $where, $elemMatch };
}

/**
 * Projection `{ f: { $elemMatch: cond } }`: the first element the query's `$elemMatch` would
 * match, also with a condition on plain values (`{ $elemMatch: { $gt: 4 } }`), which mingo's
 * projection does not take.
 */
const projectElemMatch: ProjectionOperator = (obj, expr, field, options) => {
  if (!isPlainObject(expr)) throw refuse('elemMatch: Invalid argument, object required.');
  const array = resolve(obj, field);
  if (!Array.isArray(array)) return undefined;
  let matches: (element: unknown) => boolean;
  if (onPlainValues(expr)) {
    const query = new Query({ v: expr }, options);
    matches = (v) => query.test({ v });
  } else matches = embeddedMatcher(expr, options);
  const index = array.findIndex(matches);
  return index === -1 ? undefined : [array[index]];
};

export function fidelityProjectionOperators(): Record<string, ProjectionOperator> {
  return { ...(operatorModules.projection as unknown as Record<string, ProjectionOperator>), $elemMatch: projectElemMatch };
}
