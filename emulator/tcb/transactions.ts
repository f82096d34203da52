// Transactions: writes are kept aside per transaction and applied together on commit, so an
// aborted (or never committed) transaction leaves nothing behind, and a commit that fails part-way
// is undone. Single-document operations only, as in CloudBase.
import { randomUUID } from 'node:crypto';
import { DatabaseError } from '../store/database-error';
import { applyModifier, type Doc, type DocumentStore } from '../store/document-store';
import { Mutex } from '../store/mutex';
import { encodeEjson } from './ejson-codec';

type Pending = { kind: 'put'; doc: Doc } | { kind: 'delete' };

interface Transaction {
  writes: Map<string, Pending>; // key: `${collection}\u0000${id}`
  /** Each document as the transaction first saw it (undefined: absent), to detect write conflicts. */
  seen: Map<string, string | undefined>;
  startedAt: number;
}

const TRANSACTION_TTL_MS = 30_000;

export class TransactionManager {
  private readonly open = new Map<string, Transaction>();
  private readonly commitLock = new Mutex();

  constructor(private readonly store: DocumentStore) {}

  start(): string {
    this.expireStale();
    const id = randomUUID();
    this.open.set(id, { writes: new Map(), seen: new Map(), startedAt: Date.now() });
    return id;
  }

  async get(txId: string, collection: string, id: string): Promise<Doc | undefined> {
    const tx = this.require(txId);
    const k = key(collection, id);
    const pending = tx.writes.get(k);
    if (pending) return pending.kind === 'put' ? structuredClone(pending.doc) : undefined;
    const doc = await this.read(collection, id);
    if (!tx.seen.has(k)) tx.seen.set(k, fingerprint(doc));
    return doc;
  }

  async insert(txId: string, collection: string, doc: Record<string, unknown>): Promise<string> {
    const id = typeof doc._id === 'string' ? doc._id : randomUUID().replace(/-/g, '');
    if (await this.get(txId, collection, id)) throw new DatabaseError('DATABASE_DUPLICATE_WRITE', `E11000 duplicate key error: _id ${id}`);
    this.require(txId).writes.set(key(collection, id), { kind: 'put', doc: { ...doc, _id: id } });
    return id;
  }

  async update(txId: string, collection: string, id: string, modifier: Record<string, unknown>): Promise<number> {
    const current = await this.get(txId, collection, id);
    if (!current) return 0;
    applyModifier(current, modifier);
    this.require(txId).writes.set(key(collection, id), { kind: 'put', doc: current });
    return 1;
  }

  async replace(txId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<{ updated: number; upsertedId?: string }> {
    const existed = Boolean(await this.get(txId, collection, id));
    this.require(txId).writes.set(key(collection, id), { kind: 'put', doc: { ...doc, _id: id } });
    return existed ? { updated: 1 } : { updated: 0, upsertedId: id };
  }

  async remove(txId: string, collection: string, id: string): Promise<number> {
    const existed = Boolean(await this.get(txId, collection, id));
    this.require(txId).writes.set(key(collection, id), { kind: 'delete' });
    return existed ? 1 : 0;
  }

  async commit(txId: string): Promise<void> {
    const tx = this.require(txId);
    this.open.delete(txId);
    await this.commitLock.run(async () => {
      const writes = [...tx.writes].map(([k, pending]) => ({ k, pending, ...split(k) }));
      const before = new Map<string, Doc | undefined>();
      // As MongoDB does, refuse to overwrite a document someone else changed since this
      // transaction first read it; the SDK's runTransaction retries on this code.
      for (const w of writes) {
        const current = await this.read(w.collection, w.id);
        if (fingerprint(current) !== tx.seen.get(w.k)) {
          throw new DatabaseError('DATABASE_TRANSACTION_CONFLICT', `document ${w.id} in ${w.collection} was changed outside the transaction`);
        }
        before.set(w.k, current);
      }
      const applied: typeof writes = [];
      try {
        for (const w of writes) {
          await this.put(w.collection, w.id, w.pending.kind === 'put' ? w.pending.doc : undefined);
          applied.push(w);
        }
      } catch (err) {
        for (const w of applied.reverse()) await this.put(w.collection, w.id, before.get(w.k)).catch(() => undefined);
        throw err;
      }
    });
  }

  abort(txId: string): void {
    this.require(txId);
    this.open.delete(txId);
  }

  private async read(collection: string, id: string): Promise<Doc | undefined> {
    const [doc] = await this.store.find(collection, { _id: id }, { limit: 1 });
    return doc;
  }

  /** Make the stored document exactly `doc`, or absent when undefined. */
  private async put(collection: string, id: string, doc: Doc | undefined): Promise<void> {
    if (doc) await this.store.replace(collection, id, doc);
    else await this.store.remove(collection, { _id: id }, false);
  }

  private require(txId: string): Transaction {
    const tx = this.open.get(txId);
    if (!tx) throw new DatabaseError('DATABASE_TRANSACTION_FAIL', `transaction ${txId} does not exist or has ended`);
    return tx;
  }

  private expireStale(): void {
    const now = Date.now();
    for (const [id, tx] of this.open) if (now - tx.startedAt > TRANSACTION_TTL_MS) this.open.delete(id);
  }
}

function key(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}

function split(k: string): { collection: string; id: string } {
  const [collection, id] = k.split('\u0000') as [string, string];
  return { collection, id };
}

function fingerprint(doc: Doc | undefined): string | undefined {
  return doc === undefined ? undefined : encodeEjson(doc);
}
