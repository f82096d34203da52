// The emulated cloud database. One MongoDB-semantics engine (mongo-engine.ts, mingo) evaluates
// every query, projection, sort, update and pipeline; this store keeps the documents.
//
// Why not nedb any more (figures from this 2-core machine while 7 other jobs shared it):
// - nedb rewrote the whole file after every load (about 30% of its start-up CPU) and held 2.2 GB
//   RSS at 1M users (issue 15's measurement: 27.9 s to answer); its query language is not
//   MongoDB's, so a translation layer had to refuse $all, $mod, $expr, projections and more.
// - Parsed objects for 1M users (338 MB file): about 1 GB RSS (3x the file) and 10-14 s to load.
//   Documents kept as their lines' bytes: 1M users (367 MB) load with 11.6 s of CPU (no revival of
//   dates at load) to 770 MB RSS (2.1x the file, Node's 95 MB included); 100k users: 0.85 s CPU.
//   Reading only `_id` and the unique fields from the bytes (line-scan.ts, the whole line still
//   checked against JSON's grammar) opens the same 1M users in about 7 s (9.5 s parsing, same minute).
//   A scan parses only documents whose bytes contain the strings a query's equalities ask for
//   (1M documents scanned for a missing nickname: 0.35 s instead of 3.7 s).
// So: each collection is an append-only file of JSON lines in nedb's own line format (old data
// folders load unchanged), replayed at start without rewriting it, compacted (write a temp file,
// rename) only when dead lines outnumber live documents, or on close. Every write is appended with
// a synchronous write() before it is acknowledged. The natural order is the insertion order, kept
// by a Map (an update keeps a document's place). `_id` and unique fields have hash indexes, so an
// equality on them reads one document; count() without a filter is the Map's size.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CollectionFile } from './collection-file';
import { CollectionState, UniqueViolation, idKey, type IdKey } from './collection';
import { DatabaseError } from './database-error';
import { findNear, sortByDistance } from './geo';
import { applyUpdate, compileQuery, project, sortDocs } from './mongo-engine';
import { planQuery } from './query-plan';
import { assertStorableFields, decodeDoc, serializeDelete, serializeDoc, type StoredDoc } from './record-codec';
import { runAggregation } from './aggregation';

export type Doc = Record<string, unknown> & { _id: string };
type Query = Record<string, unknown>;

export interface FindOptions {
  sort?: Record<string, 1 | -1>;
  skip?: number;
  limit?: number;
  projection?: Record<string, unknown>;
}

/** A collection the store creates at open, and the fields it keeps unique (the server passes the functions' own). */
export interface CollectionSpec {
  readonly name: string;
  readonly uniqueFields: readonly string[];
}

export interface StoreOptions {
  /** Folder for one `<collection>.db` file each; omitted = in memory. */
  dir?: string;
  collections: readonly CollectionSpec[];
}

/** Called synchronously after every committed write, once per document (undefined: absent). */
export type WriteListener = (collection: string, id: unknown, before: Doc | undefined, after: Doc | undefined) => void;

interface Collection {
  state: CollectionState;
  file?: CollectionFile;
  /** Lines in the file that no longer describe a live document. */
  dead: number;
}

/** Compact when dead lines outnumber live documents and are at least this many. */
const COMPACT_MIN_DEAD = 10_000;

export class DocumentStore {
  private readonly collections = new Map<string, Collection>();
  private readonly specs: Map<string, CollectionSpec>;
  private readonly listeners = new Set<WriteListener>();
  /** Bumped on every write; the console and tests use it to see that nothing changed. */
  writeCount = 0;

  private constructor(private readonly options: StoreOptions) {
    this.specs = new Map(options.collections.map((s) => [s.name, s]));
  }

  static async open(options: StoreOptions): Promise<DocumentStore> {
    const store = new DocumentStore(options);
    if (options.dir) {
      fs.mkdirSync(options.dir, { recursive: true });
      for (const file of fs.readdirSync(options.dir).sort()) {
        if (file.endsWith('.db')) await store.createCollection(file.slice(0, -3), true);
      }
    }
    for (const spec of options.collections) await store.createCollection(spec.name, true);
    return store;
  }

  hasCollection(name: string): boolean {
    return this.collections.has(name);
  }

  listCollections(): string[] {
    return [...this.collections.keys()].sort();
  }

  uniqueFields(name: string): string[] {
    return this.require(name).state.uniqueIndexes;
  }

  /** Drops a unique index until restart (as deleting it in CloudBase's index management would). */
  dropUniqueIndex(name: string, field: string): void {
    this.require(name).state.dropUniqueIndex(field);
  }

  /** Subscribes to committed writes; returns the unsubscribe function. */
  onWrite(listener: WriteListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async createCollection(name: string, ifMissing = false): Promise<void> {
    if (!/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/.test(name)) throw new DatabaseError('INVALID_PARAM', `invalid collection name: ${name}`);
    if (this.collections.has(name)) {
      if (ifMissing) return;
      throw new DatabaseError('DATABASE_COLLECTION_ALREADY_EXIST', `collection ${name} already exists`);
    }
    const state = new CollectionState([...(this.specs.get(name)?.uniqueFields ?? [])]);
    const coll: Collection = { state, dead: 0 };
    if (this.options.dir) {
      coll.file = CollectionFile.open(path.join(this.options.dir, `${name}.db`), (bytes) => {
        coll.dead += state.load(bytes);
      });
    }
    this.collections.set(name, coll);
  }

  async dropCollection(name: string): Promise<void> {
    const coll = this.require(name);
    coll.file?.destroy();
    this.collections.delete(name);
    this.writeCount++;
  }

  async find(name: string, query: unknown, opts: FindOptions = {}): Promise<Doc[]> {
    const { docs } = this.select(name, query, opts);
    return project(docs, opts.projection) as Doc[];
  }

  /**
   * The matching documents in natural order, in batches, yielding to the event loop between
   * batches: for exports of large collections (bounded memory, the emulator keeps answering).
   * Documents written while the scan runs may or may not be seen, as with a MongoDB cursor.
   */
  async *scan(name: string, query: unknown = {}, batchSize = 1000): AsyncGenerator<Doc[]> {
    const coll = this.require(name);
    const test = compileQuery(query);
    const plan = planQuery(coll.state, query);
    let batch: Doc[] = [];
    for (const [, bytes] of plan.candidates) {
      if (plan.needles.length > 0 && !plan.needles.every((n) => bytes.includes(n))) continue;
      const doc = decodeDoc(bytes);
      if (!test(doc)) continue;
      batch.push(doc as Doc);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (batch.length > 0) yield batch;
  }

  /**
   * Every document's stored line, unparsed, in natural order, as of this moment: a point-in-time
   * view for exports (a million references: 16-44 ms on this 2-core machine). A write replaces a document's
   * Buffer and never changes one in place, so later writes do not show through.
   */
  storedLinesNow(name: string): Buffer[] {
    return [...this.require(name).state.docs.values()];
  }

  async count(name: string, query: unknown): Promise<number> {
    const coll = this.require(name);
    if (query === undefined || query === null || (typeof query === 'object' && !Array.isArray(query) && Object.keys(query).length === 0)) return coll.state.size;
    return this.select(name, query, {}).docs.length;
  }

  async insert(name: string, docs: Record<string, unknown>[]): Promise<string[]> {
    const coll = this.require(name);
    const prepared: Array<{ key: IdKey; doc: StoredDoc; line: string }> = [];
    const batchIds = new Set<IdKey>();
    const batchUnique = new Map<string, Set<unknown>>(coll.state.uniqueIndexes.map((f) => [f, new Set()]));
    for (const input of docs) {
      assertStorableFields(input);
      const { _id: given, ...rest } = input;
      const doc: StoredDoc = { _id: given === undefined ? newId() : given, ...rest };
      const key = idKey(doc._id);
      if (coll.state.docs.has(key) || batchIds.has(key)) throw duplicate('_id', doc._id);
      guardUnique(() => coll.state.assertUnique(doc, undefined, batchUnique));
      batchIds.add(key);
      for (const [field, keys] of coll.state.uniqueKeysOf(doc)) for (const k of keys) batchUnique.get(field)!.add(k);
      prepared.push({ key, doc, line: serializeDoc(doc) });
    }
    this.commit(name, coll, prepared.map((p) => ({ key: p.key, doc: p.doc, line: p.line })));
    return prepared.map((p) => p.doc._id as string);
  }

  /** Apply a MongoDB update document (operators) to the first or every matching document. */
  async update(name: string, query: unknown, modifier: Query, multi: boolean): Promise<{ updated: number; docs: Doc[] }> {
    const coll = this.require(name);
    assertModifier(modifier);
    const { keys, docs } = this.select(name, query, multi ? {} : { limit: 1 });
    // Every document's new version is computed (and checked) before anything is written.
    const next = docs.map((doc, i) => {
      applyUpdate(doc, modifier, query as Query);
      if (idKey(doc._id) !== keys[i]) throw new DatabaseError('DATABASE_INVALID_OPERRATOR', "Performing an update on the path '_id' would modify the immutable field '_id'");
      assertStorableFields(doc);
      return doc;
    });
    for (const [i, doc] of next.entries()) {
      guardUnique(() => coll.state.assertUnique(doc, keys[i]));
      this.commit(name, coll, [{ key: keys[i]!, doc, line: serializeDoc(doc) }]);
    }
    return { updated: next.length, docs: next as Doc[] };
  }

  /** `doc(id).set()`: replace the whole document, creating it when missing. */
  async replace(name: string, id: string, doc: Record<string, unknown>): Promise<{ updated: number; upsertedId?: string }> {
    const coll = this.require(name);
    assertStorableFields(doc);
    const { _id: _ignored, ...rest } = doc;
    const next: StoredDoc = { _id: id, ...rest };
    const key = idKey(id);
    const existed = coll.state.docs.has(key);
    guardUnique(() => coll.state.assertUnique(next, key));
    this.commit(name, coll, [{ key, doc: next, line: serializeDoc(next) }]);
    return existed ? { updated: 1 } : { updated: 0, upsertedId: id };
  }

  async remove(name: string, query: unknown, multi: boolean): Promise<number> {
    const coll = this.require(name);
    const { keys } = this.select(name, query, multi ? {} : { limit: 1 });
    if (keys.length > 0) this.commit(name, coll, keys.map((key) => ({ key, doc: undefined, line: serializeDelete(coll.state.read(key)?._id) })));
    return keys.length;
  }

  async aggregate(name: string, pipeline: Query[]): Promise<Record<string, unknown>[]> {
    const all = await this.find(name, {});
    return runAggregation(all, pipeline, async (other) => (this.hasCollection(other) ? this.find(other, {}) : undefined));
  }

  /** Compacts every file whose dead lines reach a tenth of its documents, and closes the files. */
  async close(): Promise<void> {
    for (const coll of this.collections.values()) {
      if (coll.file && coll.dead > 0 && coll.dead * 10 >= coll.state.size) this.compact(coll);
      coll.file?.close();
    }
    this.collections.clear();
  }

  /** The matching documents' keys and parsed documents, in natural (or the requested) order. */
  private select(name: string, query: unknown, opts: FindOptions): { keys: IdKey[]; docs: StoredDoc[] } {
    const coll = this.require(name);
    const test = compileQuery(query);
    const plan = planQuery(coll.state, query);
    const skip = opts.skip ?? 0;
    const limit = opts.limit ? opts.limit : Infinity; // 0 means no limit, as in MongoDB
    const sorted = opts.sort !== undefined && Object.keys(opts.sort).length > 0;
    // MongoDB returns $nearSphere/$near matches nearest first unless an explicit sort is given.
    const near = sorted ? undefined : findNear(query);
    const keys: IdKey[] = [];
    const docs: StoredDoc[] = [];
    let skipped = 0;
    for (const [key, bytes] of plan.candidates) {
      if (!sorted && !near && docs.length >= limit) break;
      if (plan.needles.length > 0 && !plan.needles.every((n) => bytes.includes(n))) continue;
      const doc = decodeDoc(bytes);
      if (!test(doc)) continue;
      if (!sorted && !near && skipped < skip) {
        skipped++;
        continue;
      }
      keys.push(key);
      docs.push(doc);
    }
    if (near) {
      const order = sortByDistance(docs.map((d, i) => ({ ...d, [ORDER_KEY]: i })), near).slice(skip, skip + limit);
      return { keys: order.map((d) => keys[d[ORDER_KEY] as number]!), docs: order.map(({ [ORDER_KEY]: _i, ...d }) => d as StoredDoc) };
    }
    if (!sorted) return { keys, docs };
    const order = sortDocs(docs.map((d, i) => ({ ...d, [ORDER_KEY]: i })), { ...opts.sort!, [ORDER_KEY]: 1 }).slice(skip, skip + limit);
    return { keys: order.map((d) => keys[d[ORDER_KEY] as number]!), docs: order.map(({ [ORDER_KEY]: _i, ...d }) => d as StoredDoc) };
  }

  /** Appends the lines, then applies them in memory and tells the listeners. */
  private commit(name: string, coll: Collection, writes: Array<{ key: IdKey; doc: StoredDoc | undefined; line: string }>): void {
    coll.file?.append(writes.map((w) => w.line));
    const events: Array<[unknown, Doc | undefined, Doc | undefined]> = [];
    for (const w of writes) {
      const before = this.listeners.size > 0 ? coll.state.read(w.key) : undefined;
      if (w.doc) {
        if (coll.state.docs.has(w.key)) coll.dead++;
        coll.state.put(w.key, w.doc, Buffer.from(w.line, 'utf8'));
      } else {
        coll.state.delete(w.key);
        coll.dead += 2;
      }
      if (this.listeners.size > 0) events.push([w.doc?._id ?? before?._id, before as Doc | undefined, w.doc ? (coll.state.read(w.key) as Doc) : undefined]);
    }
    this.writeCount++;
    for (const [id, before, after] of events) for (const listener of this.listeners) listener(name, id, before, after);
    if (coll.file && coll.dead >= COMPACT_MIN_DEAD && coll.dead > coll.state.size) this.compact(coll);
  }

  private compact(coll: Collection): void {
    coll.file!.compact(coll.state.docs.values());
    coll.dead = 0;
  }

  private require(name: string): Collection {
    const coll = this.collections.get(name);
    if (!coll) throw new DatabaseError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${name}`);
    return coll;
  }
}

/** Sort tie-breaker: the natural position, so equal sort keys keep insertion order. */
const ORDER_KEY = '\u0000order';

/** Applies a MongoDB update document in place (kept for the transaction manager). */
export function applyModifier(doc: Record<string, unknown>, modifier: Query): void {
  applyUpdate(doc, modifier);
}

/** A new `_id`: 32 hex digits, as CloudBase generates. */
function newId(): string {
  return randomBytes(16).toString('hex');
}

function assertModifier(modifier: Query): void {
  const keys = Object.keys(modifier);
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) {
    throw new DatabaseError('INVALID_PARAM', 'update data must be made of update operators');
  }
}

function duplicate(field: string, value: unknown): DatabaseError {
  return new DatabaseError('DATABASE_DUPLICATE_WRITE', new UniqueViolation(field, value).message);
}

function guardUnique(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (err instanceof UniqueViolation) throw new DatabaseError('DATABASE_DUPLICATE_WRITE', err.message);
    throw err;
  }
}
