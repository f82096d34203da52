// The emulated cloud database: one nedb datastore per collection (on disk or in memory).
// nedb evaluates queries, sorting, projection and unique indexes; mingo applies update operators
// nedb lacks ($position, $mul, $rename...) and runs aggregation pipelines.
import fs from 'node:fs';
import path from 'node:path';
import Datastore from '@seald-io/nedb';
import { update as mingoUpdate } from 'mingo';
import type { CollectionSpec } from '../../shared/db/collections';
import { runAggregation } from './aggregation';
import { DatabaseError } from './database-error';
import { usesGeoOperators } from './geo';
import { findInMemory } from './geo/find';
import { Mutex } from './mutex';
import { translateQuery } from './query-translation';
import { assertUpdateApplies } from './update-validation';

export type Doc = Record<string, unknown> & { _id: string };
type Query = Record<string, unknown>;

/** Told of every committed write, synchronously, before the write's promise resolves. Must not mutate the documents. */
export type WriteListener = (collection: string, id: unknown, before: Doc | undefined, after: Doc | undefined) => void;

export interface FindOptions {
  sort?: Record<string, 1 | -1>;
  skip?: number;
  limit?: number;
  projection?: Record<string, 0 | 1>;
}

export interface StoreOptions {
  /** Folder for one `<collection>.db` file each; omitted = in memory. */
  dir?: string;
  collections: readonly CollectionSpec[];
}

interface Collection {
  db: Datastore<Record<string, unknown>>;
  lock: Mutex;
  uniqueFields: string[];
}

export class DocumentStore {
  private readonly collections = new Map<string, Collection>();
  private readonly specs: Map<string, CollectionSpec>;
  /** Bumped on every write; the console and tests use it to see that nothing changed. */
  writeCount = 0;
  private readonly writeListeners = new Set<WriteListener>();

  private constructor(private readonly options: StoreOptions) {
    this.specs = new Map(options.collections.map((s) => [s.name, s]));
  }

  static async open(options: StoreOptions): Promise<DocumentStore> {
    const store = new DocumentStore(options);
    if (options.dir) {
      fs.mkdirSync(options.dir, { recursive: true });
      for (const file of fs.readdirSync(options.dir)) {
        if (file.endsWith('.db')) await store.createCollection(file.slice(0, -3), true);
      }
    }
    for (const spec of options.collections) await store.createCollection(spec.name, true);
    return store;
  }

  /** Subscribe to committed writes (transactions build snapshot reads on it); returns the unsubscribe. */
  onWrite(listener: WriteListener): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  private emitWrite(collection: string, id: unknown, before: Doc | undefined, after: Doc | undefined): void {
    for (const listener of this.writeListeners) listener(collection, id, before, after);
  }

  hasCollection(name: string): boolean {
    return this.collections.has(name);
  }

  listCollections(): string[] {
    return [...this.collections.keys()].sort();
  }

  uniqueFields(name: string): string[] {
    return this.require(name).uniqueFields;
  }

  async createCollection(name: string, ifMissing = false): Promise<void> {
    if (!/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/.test(name)) throw new DatabaseError('INVALID_PARAM', `invalid collection name: ${name}`);
    if (this.collections.has(name)) {
      if (ifMissing) return;
      throw new DatabaseError('DATABASE_COLLECTION_ALREADY_EXIST', `collection ${name} already exists`);
    }
    const filename = this.options.dir ? path.join(this.options.dir, `${name}.db`) : undefined;
    const db = new Datastore<Record<string, unknown>>(filename ? { filename } : { inMemoryOnly: true });
    await db.loadDatabaseAsync();
    const uniqueFields = [...(this.specs.get(name)?.uniqueFields ?? [])];
    for (const fieldName of uniqueFields) await db.ensureIndexAsync({ fieldName, unique: true });
    this.collections.set(name, { db, lock: new Mutex(), uniqueFields });
  }

  async dropCollection(name: string): Promise<void> {
    const coll = this.require(name);
    await coll.db.dropDatabaseAsync();
    this.collections.delete(name);
  }

  async find(name: string, query: unknown, opts: FindOptions = {}): Promise<Doc[]> {
    const coll = this.require(name);
    if (usesGeoOperators(query)) return this.findGeo(coll, query, opts);
    let cursor = coll.db.findAsync(translateQuery(query));
    if (opts.sort && Object.keys(opts.sort).length > 0) cursor = cursor.sort(opts.sort);
    if (opts.skip) cursor = cursor.skip(opts.skip);
    if (opts.limit !== undefined) cursor = cursor.limit(opts.limit);
    if (opts.projection && Object.keys(opts.projection).length > 0) cursor = cursor.projection(opts.projection);
    return (await guard(cursor)) as unknown as Doc[];
  }

  async count(name: string, query: unknown): Promise<number> {
    if (usesGeoOperators(query)) return (await this.findGeo(this.require(name), query)).length;
    return guard(this.require(name).db.countAsync(translateQuery(query)));
  }

  async insert(name: string, docs: Record<string, unknown>[]): Promise<string[]> {
    const coll = this.require(name);
    return coll.lock.run(async () => {
      const inserted = (await guard(coll.db.insertAsync(docs))) as unknown as Doc[];
      this.writeCount++;
      for (const doc of inserted) this.emitWrite(name, doc._id, undefined, doc);
      return inserted.map((d) => d._id);
    });
  }

  /** Apply a MongoDB update document (operators) to the first or every matching document. */
  async update(name: string, query: unknown, modifier: Query, multi: boolean): Promise<{ updated: number; docs: Doc[] }> {
    const coll = this.require(name);
    assertModifier(modifier);
    return coll.lock.run(async () => {
      const matches = await this.find(name, query, multi ? {} : { limit: 1 });
      const docs: Doc[] = [];
      for (const current of matches) {
        const next = structuredClone(current);
        applyModifier(next, modifier);
        if (next._id !== current._id) throw new DatabaseError('DATABASE_INVALID_OPERRATOR', 'the _id field cannot be modified');
        await guard(coll.db.updateAsync({ _id: current._id }, next, {}));
        this.emitWrite(name, current._id, current, next);
        docs.push(next);
      }
      if (docs.length > 0) this.writeCount++;
      return { updated: docs.length, docs };
    });
  }

  /** `doc(id).set()`: replace the whole document, creating it when missing. */
  async replace(name: string, id: string, doc: Record<string, unknown>): Promise<{ updated: number; upsertedId?: string }> {
    const coll = this.require(name);
    return coll.lock.run(async () => {
      const next = { ...doc, _id: id };
      const existing = await guard(coll.db.findOneAsync({ _id: id }));
      this.writeCount++;
      if (existing) {
        await guard(coll.db.updateAsync({ _id: id }, next, {}));
        this.emitWrite(name, id, existing as Doc, next);
        return { updated: 1 };
      }
      await guard(coll.db.insertAsync(next));
      this.emitWrite(name, id, undefined, next);
      return { updated: 0, upsertedId: id };
    });
  }

  async remove(name: string, query: unknown, multi: boolean): Promise<number> {
    const coll = this.require(name);
    return coll.lock.run(async () => {
      const victims = await this.find(name, query, multi ? {} : { limit: 1 });
      const removed = victims.length === 0 ? 0 : await guard(coll.db.removeAsync({ _id: { $in: victims.map((d) => d._id) } }, { multi: true }));
      if (removed > 0) this.writeCount++;
      for (const doc of victims) this.emitWrite(name, doc._id, doc, undefined);
      return removed;
    });
  }

  async aggregate(name: string, pipeline: Query[]): Promise<Record<string, unknown>[]> {
    const all = await this.find(name, {});
    return runAggregation(all, pipeline, async (other) => (this.hasCollection(other) ? this.find(other, {}) : undefined));
  }

  /** Wait until every collection's file is compacted (used on shutdown). */
  async close(): Promise<void> {
    for (const coll of this.collections.values()) await coll.lock.run(() => coll.db.compactDatafileAsync().catch(() => undefined));
  }

  // Geo bridge: nedb cannot evaluate geo operators, so a query holding one is evaluated by mingo
  // with the geo operators over the whole collection. Goes away when mingo evaluates every query.
  private async findGeo(coll: Collection, query: unknown, opts: FindOptions = {}): Promise<Doc[]> {
    const all = (await guard(coll.db.findAsync({}))) as unknown as Doc[];
    return findInMemory(all, query, opts);
  }

  private require(name: string): Collection {
    const coll = this.collections.get(name);
    if (!coll) throw new DatabaseError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${name}`);
    return coll;
  }
}

export function applyModifier(doc: Record<string, unknown>, modifier: Query): void {
  assertUpdateApplies(doc, modifier);
  try {
    mingoUpdate(doc, modifier as never, undefined, undefined, { cloneMode: 'deep' });
  } catch (err) {
    throw new DatabaseError('DATABASE_INVALID_OPERRATOR', (err as Error).message);
  }
}

function assertModifier(modifier: Query): void {
  const keys = Object.keys(modifier);
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) {
    throw new DatabaseError('INVALID_PARAM', 'update data must be made of update operators');
  }
}

/** Turns nedb's errors into CloudBase's codes. */
async function guard<T>(promise: PromiseLike<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof DatabaseError) throw err;
    const e = err as { errorType?: string; key?: unknown; message?: string };
    if (e.errorType === 'uniqueViolated') {
      throw new DatabaseError('DATABASE_DUPLICATE_WRITE', `E11000 duplicate key error: DATABASE_DUPLICATE_WRITE, dup key: ${JSON.stringify(e.key)}`);
    }
    const message = e.message ?? String(err);
    if (/Unknown (comparison|logical) operator|Unknown operator|Field names cannot begin|Invalid modifier|cannot contain a \./i.test(message)) {
      throw new DatabaseError('DATABASE_INVALID_OPERRATOR', message);
    }
    throw new DatabaseError('DATABASE_REQUEST_FAILED', message);
  }
}
