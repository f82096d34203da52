// Transactions: writes are kept aside per transaction and applied together on commit, so an
// aborted (or never committed) transaction leaves nothing behind. Single-document operations only,
// as in CloudBase.
import { randomUUID } from 'node:crypto';
import { DatabaseError } from '../store/database-error';
import { applyModifier, type Doc, type DocumentStore } from '../store/document-store';

type Pending = { kind: 'put'; doc: Doc } | { kind: 'delete' };

interface Transaction {
  writes: Map<string, Pending>; // key: `${collection}\u0000${id}`
  startedAt: number;
}

const TRANSACTION_TTL_MS = 30_000;

export class TransactionManager {
  private readonly open = new Map<string, Transaction>();

  constructor(private readonly store: DocumentStore) {}

  start(): string {
    this.expireStale();
    const id = randomUUID();
    this.open.set(id, { writes: new Map(), startedAt: Date.now() });
    return id;
  }

  async get(txId: string, collection: string, id: string): Promise<Doc | undefined> {
    const pending = this.require(txId).writes.get(key(collection, id));
    if (pending) return pending.kind === 'put' ? structuredClone(pending.doc) : undefined;
    const [doc] = await this.store.find(collection, { _id: id }, { limit: 1 });
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
    for (const [k, pending] of tx.writes) {
      const [collection, id] = k.split('\u0000') as [string, string];
      if (pending.kind === 'delete') await this.store.remove(collection, { _id: id }, false);
      else await this.store.replace(collection, id, pending.doc);
    }
  }

  abort(txId: string): void {
    this.require(txId);
    this.open.delete(txId);
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
