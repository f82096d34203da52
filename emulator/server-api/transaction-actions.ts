// The database.* actions when they carry a transactionId. wx-server-sdk sends one from
// tx.collection(c).add(), .doc(id).get/update/set/remove, .where(q).get() and
// .where(q).updateAndReturn() (where(q).update/remove/count go out without it and run outside the
// transaction). Any query shape is answered with MongoDB semantics over the transaction's snapshot.
import { DatabaseError } from '../store/database-error';
import type { Doc } from '../store/document-store';
import { encodeEjson } from './ejson-codec';
import type { TransactionManager } from '../store/transactions';

type Query = Record<string, unknown>;
interface Deps {
  transactions: TransactionManager;
}
interface FindParams {
  sort?: Record<string, 1 | -1>;
  skip?: number;
  limit?: number;
  projection?: Record<string, unknown>;
}

/** The id of `{ _id: <value> }` (any type but an operator object), else undefined. */
function plainId(query: Query): { id: unknown } | undefined {
  const keys = Object.keys(query);
  if (keys.length !== 1 || keys[0] !== '_id') return undefined;
  const id = query._id;
  const isOperator = id !== null && typeof id === 'object' && !Array.isArray(id) && !(id instanceof Date) && Object.keys(id).some((k) => k.startsWith('$'));
  return isOperator ? undefined : { id };
}

/** The ids a query selects in the transaction's view: the first, or all when `multi`. */
async function matchIds(deps: Deps, tx: string, collection: string, query: Query, multi: boolean): Promise<unknown[]> {
  const direct = plainId(query);
  if (direct) return [direct.id];
  return (await deps.transactions.find(tx, collection, query, multi ? {} : { limit: 1 })).map((d) => d._id);
}

export async function txGet(deps: Deps, tx: string, collection: string, query: Query, docQuery: boolean, opts: FindParams): Promise<Doc[]> {
  const direct = plainId(query);
  if (docQuery && direct) {
    const doc = await deps.transactions.get(tx, collection, direct.id);
    return doc ? [doc] : [];
  }
  return deps.transactions.find(tx, collection, query, docQuery ? { ...opts, limit: 1 } : opts);
}

export async function txCount(deps: Deps, tx: string, collection: string, query: Query): Promise<number> {
  return (await deps.transactions.find(tx, collection, query)).length;
}

export async function txUpdate(deps: Deps, tx: string, collection: string, query: Query, modifier: Query, multi: boolean): Promise<number> {
  let updated = 0;
  for (const id of await matchIds(deps, tx, collection, query, multi)) updated += await deps.transactions.update(tx, collection, id, modifier);
  return updated;
}

/** `doc(id).set()`: replace the document, creating it when missing. */
export async function txReplace(deps: Deps, tx: string, collection: string, query: Query, doc: Query): Promise<{ updated: number; upsertedId?: unknown }> {
  const direct = plainId(query);
  if (!direct) throw new DatabaseError('INVALID_PARAM', 'set() replaces one document and needs a query of the form { _id }');
  return deps.transactions.replace(tx, collection, direct.id, doc);
}

export async function txUpdateAndReturn(deps: Deps, tx: string, collection: string, query: Query, modifier: Query): Promise<{ updated: number; doc: string | null }> {
  const [id] = await matchIds(deps, tx, collection, query, false);
  if (id === undefined || !(await deps.transactions.update(tx, collection, id, modifier))) return { updated: 0, doc: null };
  const doc = await deps.transactions.get(tx, collection, id);
  return { updated: 1, doc: doc ? encodeEjson(doc) : null };
}

export async function txRemove(deps: Deps, tx: string, collection: string, query: Query, multi: boolean): Promise<number> {
  let deleted = 0;
  for (const id of await matchIds(deps, tx, collection, query, multi)) deleted += await deps.transactions.remove(tx, collection, id);
  return deleted;
}
