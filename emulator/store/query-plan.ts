// Chooses which documents a query needs to look at: the one document an equality on `_id` or on a
// unique field points to, or else every document in natural order. A scan also gets "needles":
// the JSON text of every plain string equality, which a matching document's stored line must
// contain, so documents that cannot match are skipped without being parsed.
import { idKey, type CollectionState, type IdKey } from './collection';

export interface QueryPlan {
  candidates: Iterable<[IdKey, Buffer]>;
  needles: Buffer[];
}

export function planQuery(state: CollectionState, query: unknown): QueryPlan {
  if (query === null || typeof query !== 'object' || Array.isArray(query)) return { candidates: state.docs, needles: [] };
  const conditions = Object.entries(query as Record<string, unknown>);
  for (const [field, condition] of conditions) {
    const value = equalityValue(condition);
    if (value === undefined || !isIndexable(value)) continue;
    let key: IdKey | undefined | null = null;
    if (field === '_id') key = idKey(value);
    else if (state.hasUniqueIndex(field)) key = state.lookupUnique(field, value);
    if (key === null) continue;
    const bytes = key === undefined ? undefined : state.docs.get(key);
    return { candidates: bytes ? [[key as IdKey, bytes]] : [], needles: [] };
  }
  const needles: Buffer[] = [];
  for (const [field, condition] of conditions) {
    if (field.startsWith('$')) continue;
    const value = equalityValue(condition);
    if (typeof value === 'string') needles.push(Buffer.from(JSON.stringify(value), 'utf8'));
  }
  return { candidates: state.docs, needles };
}

/** The value of `field: v` or `field: { $eq: v }`; undefined for any other condition. */
function equalityValue(condition: unknown): unknown {
  if (condition === null || typeof condition !== 'object' || condition instanceof Date) return condition;
  if (Array.isArray(condition) || condition instanceof RegExp) return undefined;
  const keys = Object.keys(condition);
  if (keys.length === 1 && keys[0] === '$eq') return (condition as { $eq: unknown }).$eq;
  return undefined;
}

/** Values an index lookup answers exactly (an array or object equality also matches arrays holding it). */
function isIndexable(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date;
}
