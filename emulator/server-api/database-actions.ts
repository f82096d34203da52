// The `database.*` actions of the CloudBase server API, as wx-server-sdk 4.x sends them (its
// @cloudbase/database requests, which the end-to-end tests make with the real SDK). Each returns the response `data`.
import { DatabaseError } from '../store/database-error';
import type { DocumentStore } from '../store/document-store';
import { decodeEjson, encodeEjson } from './ejson-codec';
import { refuseCatastrophicRegexes } from './regex-precheck';
import { expandSdkCommands } from './sdk-commands';
import { txCount, txGet, txRemove, txReplace, txUpdate, txUpdateAndReturn } from './transaction-actions';
import type { TransactionManager } from '../store/transactions';

export type Params = Record<string, unknown>;
export interface ActionResult {
  data?: Record<string, unknown>;
  /** Fields the SDK reads from the top level of the response (transactions). */
  top?: Record<string, unknown>;
}
type Action = (p: Params, deps: ActionDeps) => Promise<ActionResult>;

export interface ActionDeps {
  store: DocumentStore;
  transactions: TransactionManager;
  now: () => Date;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

const obj = (p: Params, field: string, deps: ActionDeps): Record<string, unknown> => {
  const raw = p[field];
  if (raw === undefined || raw === null || raw === '') return {};
  const value = typeof raw === 'string' ? decodeEjson(raw, deps.now()) : raw;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DatabaseError('INVALID_PARAM', `${field} must be an object`);
  return value as Record<string, unknown>;
};

/** A query or projection: EJSON, with the SDK's unencoded command objects expanded (sdk-commands.ts). */
const condition = (p: Params, field: 'query' | 'projection', deps: ActionDeps): Record<string, unknown> => expandSdkCommands(obj(p, field, deps)) as Record<string, unknown>;

const collectionName = (p: Params): string => {
  if (typeof p.collectionName !== 'string' || p.collectionName === '') throw new DatabaseError('INVALID_PARAM', 'collectionName is required');
  return p.collectionName;
};

/** A boolean flag such as `multi` or `merge`: absent is undefined, any other type is refused. */
const flag = (p: Params, field: string): boolean | undefined => {
  const value = p[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new DatabaseError('INVALID_PARAM', `${field} must be a boolean`);
  return value;
};

const sortOrder = (p: Params, deps: ActionDeps): Record<string, 1 | -1> => {
  const order = obj(p, 'order', deps);
  for (const [field, direction] of Object.entries(order)) {
    if (direction !== 1 && direction !== -1) throw new DatabaseError('INVALID_PARAM', `order of ${field} must be 1 or -1`);
  }
  return order as Record<string, 1 | -1>;
};

const txId = (p: Params): string | undefined => (typeof p.transactionId === 'string' && p.transactionId ? p.transactionId : undefined);

const docId = (query: Record<string, unknown>): string => {
  if (typeof query._id !== 'string') throw new DatabaseError('INVALID_PARAM', 'a document operation needs a string _id');
  return query._id;
};

function toModifier(data: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(data);
  if (keys.length === 0) throw new DatabaseError('INVALID_PARAM', 'update data must not be empty');
  if (keys.every((k) => k.startsWith('$'))) return data;
  if (keys.some((k) => k.startsWith('$'))) throw new DatabaseError('INVALID_PARAM', 'update data mixes operators and plain fields');
  return { $set: data };
}

function withoutId(doc: Record<string, unknown>): Record<string, unknown> {
  const { _id: _ignored, ...rest } = doc;
  return rest;
}

const getDocument: Action = async (p, deps) => {
  const name = collectionName(p);
  const query = condition(p, 'query', deps);
  const tx = txId(p);
  const limit = p.limit === undefined ? DEFAULT_LIMIT : p.limit;
  const offset = p.offset === undefined ? 0 : p.offset;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) throw new DatabaseError('INVALID_PARAM', `limit must be an integer between 0 and ${MAX_LIMIT}`);
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw new DatabaseError('INVALID_PARAM', 'offset must be a non-negative integer');
  if (tx) {
    const docs = await txGet(deps, tx, name, query, p.queryType === 'DOC', { sort: sortOrder(p, deps), skip: offset, limit, projection: condition(p, 'projection', deps) });
    return { data: { list: docs.map(encodeEjson), limit, offset } };
  }
  const docs = await deps.store.find(name, query, {
    sort: sortOrder(p, deps),
    skip: offset,
    limit: p.queryType === 'DOC' ? 1 : limit,
    projection: condition(p, 'projection', deps),
  });
  return { data: { list: docs.map(encodeEjson), limit, offset } };
};

const insertDocument: Action = async (p, deps) => {
  const name = collectionName(p);
  if (!Array.isArray(p.data) || p.data.length === 0) throw new DatabaseError('INVALID_PARAM', 'data must be a non-empty array');
  const docs = p.data.map((d) => {
    const doc = decodeEjson(d, deps.now());
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new DatabaseError('INVALID_PARAM', 'each document must be an object');
    return doc as Record<string, unknown>;
  });
  const tx = txId(p);
  if (tx) {
    const ids: unknown[] = [];
    for (const doc of docs) ids.push(await deps.transactions.insert(tx, name, doc));
    return { data: { insertedIds: ids } };
  }
  return { data: { insertedIds: await deps.store.insert(name, docs) } };
};

const calculateDocument: Action = async (p, deps) => {
  const tx = txId(p);
  if (tx) return { data: { total: await txCount(deps, tx, collectionName(p), condition(p, 'query', deps)) } };
  return { data: { total: await deps.store.count(collectionName(p), condition(p, 'query', deps)) } };
};

const modifyDocument: Action = async (p, deps) => {
  const name = collectionName(p);
  const query = condition(p, 'query', deps);
  const data = obj(p, 'data', deps);
  const tx = txId(p);
  const multi = flag(p, 'multi') === true;
  if (flag(p, 'merge') === false) {
    const result = tx ? await txReplace(deps, tx, name, query, withoutId(data)) : await deps.store.replace(name, docId(query), withoutId(data));
    return { data: { updated: result.updated, upsert_id: result.upsertedId } };
  }
  const modifier = toModifier(data);
  if (tx) return { data: { updated: await txUpdate(deps, tx, name, query, modifier, multi) } };
  const { updated } = await deps.store.update(name, query, modifier, multi);
  return { data: { updated } };
};

const modifyAndReturnDoc: Action = async (p, deps) => {
  const name = collectionName(p);
  const query = condition(p, 'query', deps);
  const modifier = toModifier(obj(p, 'data', deps));
  const tx = txId(p);
  if (tx) return { data: await txUpdateAndReturn(deps, tx, name, query, modifier) };
  const { updated, docs } = await deps.store.update(name, query, modifier, false);
  // CloudBase answers `doc: null` when nothing matched (the SDK passes it on as `doc: null`).
  return { data: { updated, doc: docs[0] ? encodeEjson(docs[0]) : null } };
};

const removeDocument: Action = async (p, deps) => {
  const name = collectionName(p);
  const query = condition(p, 'query', deps);
  const multi = flag(p, 'multi') === true;
  const tx = txId(p);
  if (tx) return { data: { deleted: await txRemove(deps, tx, name, query, multi) } };
  return { data: { deleted: await deps.store.remove(name, query, multi) } };
};

const aggregateDocuments: Action = async (p, deps) => {
  const name = collectionName(p);
  if (!Array.isArray(p.stages)) throw new DatabaseError('INVALID_PARAM', 'stages must be an array');
  const pipeline = p.stages.map((s: { stageKey?: unknown; stageValue?: unknown }) => {
    if (typeof s?.stageKey !== 'string' || typeof s.stageValue !== 'string') throw new DatabaseError('INVALID_PARAM', 'each stage needs stageKey and stageValue');
    return { [s.stageKey]: decodeEjson(s.stageValue, deps.now()) };
  });
  const list = await deps.store.aggregate(name, pipeline);
  return { data: { list: list.map(encodeEjson) } };
};

const addCollection: Action = async (p, deps) => {
  await deps.store.createCollection(collectionName(p));
  return { data: {} };
};

const requireTx = (p: Params): string => {
  const id = txId(p);
  if (!id) throw new DatabaseError('INVALID_PARAM', 'transactionId is required');
  return id;
};

const startTransaction: Action = async (_p, deps) => ({ top: { transactionId: deps.transactions.start() } });
const commitTransaction: Action = async (p, deps) => {
  await deps.transactions.commit(requireTx(p));
  return { data: {} };
};
const abortTransaction: Action = async (p, deps) => {
  deps.transactions.abort(requireTx(p));
  return { data: {} };
};
const getInTransaction: Action = async (p, deps) => {
  const doc = await deps.transactions.get(requireTx(p), collectionName(p), docId(obj(p, 'query', deps)));
  return { top: { data: doc ? encodeEjson(doc) : 'null' } };
};
const updateDocInTransaction: Action = async (p, deps) => {
  const tx = requireTx(p);
  const name = collectionName(p);
  const id = docId(obj(p, 'query', deps));
  const data = obj(p, 'data', deps);
  const keys = Object.keys(data);
  if (keys.length > 0 && keys.every((k) => k.startsWith('$'))) {
    return { top: { updated: encodeEjson(await deps.transactions.update(tx, name, id, data)) } };
  }
  const r = await deps.transactions.replace(tx, name, id, withoutId(data));
  return { top: { updated: encodeEjson(r.updated), upserted: r.upsertedId ? JSON.stringify([{ _id: r.upsertedId }]) : undefined } };
};
const deleteDocInTransaction: Action = async (p, deps) => {
  const deleted = await deps.transactions.remove(requireTx(p), collectionName(p), docId(obj(p, 'query', deps)));
  return { top: { deleted: encodeEjson(deleted) } };
};

/** Every action's regexes are checked before it runs (regex-precheck.ts). */
const guarded = (action: Action): Action => async (p, deps) => {
  await refuseCatastrophicRegexes(p, deps.now());
  return action(p, deps);
};

export const DATABASE_ACTIONS: Record<string, Action> = Object.fromEntries(Object.entries({
  'database.getDocument': getDocument,
  'database.insertDocument': insertDocument,
  'database.calculateDocument': calculateDocument,
  'database.modifyDocument': modifyDocument,
  'database.modifyAndReturnDoc': modifyAndReturnDoc,
  'database.removeDocument': removeDocument,
  'database.aggregateDocuments': aggregateDocuments,
  'database.addCollection': addCollection,
  'database.startTransaction': startTransaction,
  'database.commitTransaction': commitTransaction,
  'database.abortTransaction': abortTransaction,
  'database.getInTransaction': getInTransaction,
  'database.updateDocInTransaction': updateDocInTransaction,
  'database.deleteDocInTransaction': deleteDocInTransaction,
}).map(([name, action]) => [name, guarded(action)]));
