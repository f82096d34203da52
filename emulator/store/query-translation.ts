// Rewrites a MongoDB query into what nedb evaluates, and refuses what nedb cannot evaluate
// faithfully: a clear DATABASE_INVALID_OPERRATOR beats a silently wrong answer.
import { DatabaseError } from './database-error';

const FIELD_OPERATORS = new Set(['$lt', '$lte', '$gt', '$gte', '$ne', '$in', '$nin', '$regex', '$options', '$exists', '$size', '$elemMatch', '$eq', '$not']);
const LOGICAL_OPERATORS = new Set(['$or', '$and', '$nor']);

type Query = Record<string, unknown>;

export function translateQuery(query: unknown): Query {
  if (query === undefined || query === null) return {};
  if (typeof query !== 'object' || Array.isArray(query)) {
    throw new DatabaseError('INVALID_PARAM', 'query must be an object');
  }
  const out: Query = {};
  const extraAnd: Query[] = [];
  for (const [key, value] of Object.entries(query as Query)) {
    if (key.startsWith('$')) {
      if (!LOGICAL_OPERATORS.has(key)) throw unsupported(key);
      if (!Array.isArray(value)) throw new DatabaseError('INVALID_PARAM', `${key} expects an array`);
      const parts = value.map(translateQuery);
      if (key === '$nor') extraAnd.push({ $not: { $or: parts } });
      else out[key] = parts;
      continue;
    }
    const translated = translateFieldCondition(key, value);
    if ('clause' in translated) extraAnd.push(translated.clause);
    else out[key] = translated.value;
  }
  if (extraAnd.length > 0) out.$and = [...((out.$and as Query[] | undefined) ?? []), ...extraAnd];
  return out;
}

/** Either the value to put under `field`, or a whole clause to AND with the rest of the query. */
type Translated = { value: unknown } | { clause: Query };

function translateFieldCondition(field: string, condition: unknown): Translated {
  if (!isOperatorObject(condition)) return condition === null ? { clause: equalsClause(field, null) } : { value: condition };
  const ops = { ...(condition as Query) };
  for (const op of Object.keys(ops)) if (!FIELD_OPERATORS.has(op)) throw unsupported(op);
  if ('$not' in ops) {
    const inner = ops.$not;
    if (Object.keys(ops).length > 1) throw new DatabaseError('DATABASE_INVALID_OPERRATOR', '$not cannot be combined with other operators on the same field');
    const clause = inner instanceof RegExp ? { [field]: inner } : asClause(field, translateFieldCondition(field, inner));
    return { clause: { $not: clause } };
  }
  // nedb reads $ne/$nin on an array field as "some element differs"; MongoDB (and CloudBase) as
  // "no element matches". Rewrite them as a negated match so arrays get MongoDB's meaning.
  const negated: Query[] = [];
  if ('$ne' in ops) {
    negated.push({ $not: equalsClause(field, ops.$ne) });
    delete ops.$ne;
  }
  if ('$nin' in ops) {
    negated.push({ $not: inClause(field, ops.$nin) });
    delete ops.$nin;
  }
  if (negated.length > 0) {
    const rest = Object.keys(ops).length > 0 ? [asClause(field, translateFieldCondition(field, ops))] : [];
    return { clause: { $and: [...negated, ...rest] } };
  }
  if ('$eq' in ops) {
    const eq = ops.$eq;
    delete ops.$eq;
    if (Object.keys(ops).length === 0) return eq === null ? { clause: equalsClause(field, null) } : { value: eq };
    ops.$in = '$in' in ops ? (ops.$in as unknown[]).filter((v) => v === eq) : [eq];
  }
  if (Array.isArray(ops.$in) && ops.$in.includes(null)) {
    const list = ops.$in;
    delete ops.$in;
    const rest = Object.keys(ops).length > 0 ? [asClause(field, translateFieldCondition(field, ops))] : [];
    return { clause: { $and: [inClause(field, list), ...rest] } };
  }
  if ('$regex' in ops && typeof ops.$regex === 'string') {
    const flags = typeof ops.$options === 'string' ? ops.$options.replace(/[^imsu]/g, '') : '';
    ops.$regex = new RegExp(ops.$regex, flags);
  }
  delete ops.$options;
  if ('$elemMatch' in ops) ops.$elemMatch = translateQuery(ops.$elemMatch);
  return { value: ops };
}

// MongoDB's `field: null` (and $eq/$in with null) also matches documents without the field;
// nedb's matches only an explicit null.
function equalsClause(field: string, value: unknown): Query {
  return value === null ? { $or: [{ [field]: null }, { [field]: { $exists: false } }] } : { [field]: value };
}

function inClause(field: string, list: unknown): Query {
  const plain = { [field]: { $in: list } };
  return Array.isArray(list) && list.includes(null) ? { $or: [plain, { [field]: { $exists: false } }] } : plain;
}

function asClause(field: string, translated: Translated): Query {
  return 'clause' in translated ? translated.clause : { [field]: translated.value };
}

function isOperatorObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date || value instanceof RegExp) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

function unsupported(op: string): DatabaseError {
  return new DatabaseError('DATABASE_INVALID_OPERRATOR', `query operator ${op} is not supported by the local emulator`);
}
