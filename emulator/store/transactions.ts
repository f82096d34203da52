// Transactions with CloudBase's snapshot isolation (CloudBase docs, "Transaction Operations";
// @cloudbase/node-sdk's own transaction tests): reads see the data as of the transaction's start
// plus its own writes; a write to a document that another open transaction has written, or that
// was changed by a commit since this transaction started, fails at once with
// DATABASE_TRANSACTION_CONFLICT and ends the transaction (MongoDB aborts on a write conflict).
// Writes are kept aside and applied together on commit; a commit that fails part-way is undone.
//
// "The start" is the transaction's first operation, not startTransaction (MongoDB drivers'
// transactions spec: startTransaction only puts the session in the "starting transaction" state;
// the first command carries `startTransaction: true` and establishes the read timestamp).
// The snapshot is built on the store's onWrite hook: the first committed change to a document
// after a transaction starts records that document's previous version for the transaction.
//
// Outside writes to a document an open transaction has written go through (MongoDB would make
// them wait for the transaction); the transaction then fails with the conflict when it next
// writes that document or commits, so neither write is lost.
import { EJSON } from 'bson';
import { randomUUID } from 'node:crypto';
import { DatabaseError } from './database-error';
import { applyModifier, type Doc, type DocumentStore } from './document-store';
import type { FindOptions } from './document-store';
import { findInMemory } from './find-in-memory';
import { Mutex } from './mutex';

/** Canonical Extended JSON: tells apart values of different types (1 vs "1"), as MongoDB's messages print them. */
const canonical = (value: unknown): string => EJSON.stringify(value as Parameters<typeof EJSON.stringify>[0], { relaxed: false });

type Pending = { collection: string; id: unknown; doc: Doc | undefined }; // doc undefined: delete

interface Transaction {
  writes: Map<string, Pending>;
  /** Documents changed by others' commits since the start: their version as of the start. */
  snapshot: Map<string, Doc | undefined>;
  /** Whether its first operation has run, fixing its snapshot. */
  begun: boolean;
  startedAt: number;
}

/** CloudBase's messages for these errors (as its SDK's tests expect them). */
const NOT_EXIST = '[ResourceUnavailable.TransactionNotExist] Transaction does not exist on the server, transaction must be commit or abort in 30 seconds. Please check your request, but if the problem persists, contact us.';
const CONFLICT = '[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others. Please check your request, but if the problem persists, contact us.';

const TRANSACTION_TTL_MS = 30_000;

export class TransactionManager {
  private readonly open = new Map<string, Transaction>();
  private readonly commitLock = new Mutex();

  constructor(private readonly store: DocumentStore) {
    store.onWrite((collection, id, before) => {
      const k = key(collection, id);
      for (const tx of this.open.values()) if (tx.begun && !tx.snapshot.has(k)) tx.snapshot.set(k, before === undefined ? undefined : structuredClone(before));
    });
  }

  start(): string {
    this.expireStale();
    const id = randomUUID();
    this.open.set(id, { writes: new Map(), snapshot: new Map(), begun: false, startedAt: Date.now() });
    return id;
  }

  /** The document as this transaction sees it. */
  async get(txId: string, collection: string, id: unknown): Promise<Doc | undefined> {
    const tx = this.require(txId);
    tx.begun = true;
    const k = key(collection, id);
    const pending = tx.writes.get(k);
    if (pending) return pending.doc && structuredClone(pending.doc);
    if (tx.snapshot.has(k)) return structuredClone(tx.snapshot.get(k));
    const [doc] = await this.store.find(collection, { _id: id }, { limit: 1 });
    // A commit may have landed while reading; the snapshot then holds the version to see.
    if (tx.snapshot.has(k)) return structuredClone(tx.snapshot.get(k));
    return doc;
  }

  /** A query over the collection as this transaction sees it, with MongoDB semantics. */
  async find(txId: string, collection: string, query: unknown, opts: FindOptions = {}): Promise<Doc[]> {
    return findInMemory(await this.view(txId, collection), query, opts);
  }

  async insert(txId: string, collection: string, doc: Record<string, unknown>): Promise<unknown> {
    const id = doc._id !== undefined ? doc._id : randomUUID().replace(/-/g, '');
    if (await this.get(txId, collection, id)) throw new DatabaseError('DATABASE_DUPLICATE_WRITE', `E11000 duplicate key error: _id ${canonical(id)}`);
    this.write(txId, collection, id, { ...doc, _id: id } as Doc);
    return id;
  }

  async update(txId: string, collection: string, id: unknown, modifier: Record<string, unknown>): Promise<number> {
    const current = await this.get(txId, collection, id);
    if (!current) return 0;
    applyModifier(current, modifier);
    this.write(txId, collection, id, current);
    return 1;
  }

  async replace(txId: string, collection: string, id: unknown, doc: Record<string, unknown>): Promise<{ updated: number; upsertedId?: unknown }> {
    const existed = Boolean(await this.get(txId, collection, id));
    this.write(txId, collection, id, { ...doc, _id: id } as Doc);
    return existed ? { updated: 1 } : { updated: 0, upsertedId: id };
  }

  async remove(txId: string, collection: string, id: unknown): Promise<number> {
    if (!(await this.get(txId, collection, id))) return 0;
    this.write(txId, collection, id, undefined);
    return 1;
  }

  async commit(txId: string): Promise<void> {
    const tx = this.require(txId);
    this.open.delete(txId);
    await this.commitLock.run(async () => {
      const writes = [...tx.writes.entries()];
      // An outside write landed on a document this transaction wrote: refuse, so it is not lost.
      for (const [k] of writes) if (tx.snapshot.has(k)) throw conflict();
      const before = new Map<string, Doc | undefined>();
      for (const [k, w] of writes) before.set(k, (await this.store.find(w.collection, { _id: w.id }, { limit: 1 }))[0]);
      const applied: typeof writes = [];
      try {
        for (const entry of writes) {
          await this.put(entry[1].collection, entry[1].id, entry[1].doc);
          applied.push(entry);
        }
      } catch (err) {
        for (const [k, w] of applied.reverse()) await this.put(w.collection, w.id, before.get(k)).catch(() => undefined);
        throw err;
      }
    });
  }

  abort(txId: string): void {
    this.require(txId);
    this.open.delete(txId);
  }

  /** Record a write, or fail with a conflict (and end the transaction) as MongoDB does. */
  private write(txId: string, collection: string, id: unknown, doc: Doc | undefined): void {
    const tx = this.require(txId);
    const k = key(collection, id);
    const lockedByOther = [...this.open.entries()].some(([otherId, other]) => otherId !== txId && other.writes.has(k));
    if (lockedByOther || tx.snapshot.has(k)) {
      this.open.delete(txId);
      throw conflict();
    }
    tx.writes.set(k, { collection, id, doc: doc && structuredClone(doc) });
  }

  /** The collection as of the transaction's start, with its own writes on top, in natural order. */
  private async view(txId: string, collection: string): Promise<Doc[]> {
    const tx = this.require(txId);
    tx.begun = true;
    const current = await this.store.find(collection, {});
    const seen = new Set<string>();
    const out: Doc[] = [];
    const visible = (k: string, doc: Doc | undefined): Doc | undefined => {
      const pending = tx.writes.get(k);
      if (pending) return pending.doc;
      return tx.snapshot.has(k) ? tx.snapshot.get(k) : doc;
    };
    for (const doc of current) {
      const k = key(collection, doc._id);
      seen.add(k);
      const v = visible(k, doc);
      if (v) out.push(structuredClone(v));
    }
    // Deleted by others since the start, or written only by this transaction.
    for (const [k, doc] of [...tx.snapshot.entries(), ...[...tx.writes.entries()].map(([pk, p]) => [pk, p.doc] as const)]) {
      if (seen.has(k) || !k.startsWith(`${collection}\u0000`)) continue;
      seen.add(k);
      const v = visible(k, doc);
      if (v) out.push(structuredClone(v));
    }
    return out;
  }

  /** Make the stored document exactly `doc`, or absent when undefined. */
  private async put(collection: string, id: unknown, doc: Doc | undefined): Promise<void> {
    if (doc) await this.store.replace(collection, id as string, doc);
    else await this.store.remove(collection, { _id: id }, false);
  }

  private require(txId: string): Transaction {
    const tx = this.open.get(txId);
    if (tx && Date.now() - tx.startedAt > TRANSACTION_TTL_MS) this.open.delete(txId);
    if (!tx || !this.open.has(txId)) throw new DatabaseError('DATABASE_TRANSACTION_FAIL', NOT_EXIST);
    return tx;
  }

  private expireStale(): void {
    const now = Date.now();
    for (const [id, tx] of this.open) if (now - tx.startedAt > TRANSACTION_TTL_MS) this.open.delete(id);
  }
}

/** One key per document; EJSON tells apart ids of different types (1 vs "1"). */
function key(collection: string, id: unknown): string {
  return `${collection}\u0000${canonical({ id })}`;
}

function conflict(): DatabaseError {
  return new DatabaseError('DATABASE_TRANSACTION_CONFLICT', CONFLICT);
}
