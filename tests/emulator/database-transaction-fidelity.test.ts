// Transaction isolation as CloudBase documents it, through the real wx-server-sdk. Sources:
// CloudBase docs "Transaction Operations" / 事务 (snapshot isolation: reads see a snapshot of the
// transaction's start; a write to a document another transaction has written fails; a write
// conflict ends the transaction), the error codes and messages @cloudbase/node-sdk's own
// transaction tests expect, and what @cloudbase/database 1.4.3 sends (query.js, collection.js,
// document.js: where().get()/updateAndReturn() carry the transactionId, where().update()/
// remove()/count() do not).
import { freshCollection, sdkFor, startTestEmulator, type TestEmulator, useEmulatorSources } from '../support/emulator';
import { storeWrites } from '../support/store-writes';
import { updateAndReturn } from '../support/update-and-return';

// From the sources: a spy on Date.now ages a transaction (tests/support/emulator.ts).
useEmulatorSources();

type Doc = Record<string, any>;
type Db = ReturnType<typeof import('wx-server-sdk').database>;

let emulator: TestEmulator;
let db: Db;

const CONFLICT = /\[ResourceUnavailable\.TransactionConflict\] Transaction is conflict/;
const NOT_EXIST = /\[ResourceUnavailable\.TransactionNotExist\] Transaction does not exist on the server/;

const read = async (collection: string, id: unknown): Promise<Doc | null> => {
  const { data } = (await db.collection(collection).where({ _id: id }).get()) as { data: Doc[] };
  return data[0] ?? null;
};
const txRead = async (tx: any, collection: string, id: string): Promise<Doc> => (await tx.collection(collection).doc(id).get()).data;
const fresh = (docs: Doc[] = []): Promise<string> => freshCollection(db, 'txf', docs);

beforeAll(async () => {
  emulator = await startTestEmulator();
  db = sdkFor(emulator).database();
});
afterAll(() => emulator.close());

describe('snapshot reads', () => {
  it('doc().get() sees each document as of the transaction start, even when first read after an outside commit', async () => {
    const c = await fresh([{ _id: '1', category: 'Web' }, { _id: '2', category: 'Web' }, { _id: '0', category: 'first read' }]);
    const tx = await db.startTransaction();
    await txRead(tx, c, '0'); // the transaction, and its snapshot, start here
    await db.collection(c).doc('1').set({ data: { category: 'changed outside' } });
    await db.collection(c).doc('2').remove();
    await db.collection(c).add({ data: { _id: '3', category: 'Web' } });
    expect(await txRead(tx, c, '1')).toEqual({ _id: '1', category: 'Web' });
    expect(await txRead(tx, c, '2')).toEqual({ _id: '2', category: 'Web' });
    await expect(tx.collection(c).doc('3').get()).rejects.toMatchObject({ errMsg: expect.stringMatching(/does not exist/) });
    await tx.rollback();
  });

  it('where().get() in a transaction queries the snapshot plus its own writes, with MongoDB operators', async () => {
    const c = await fresh([
      { _id: 'a', n: 1, tags: ['x'] },
      { _id: 'b', n: 2, tags: ['y'] },
      { _id: 'c', n: 3, tags: ['x', 'y'] },
    ]);
    const _ = db.command;
    const tx = await db.startTransaction();
    await tx.collection(c).add({ data: { _id: 'mine', n: 5, tags: ['x'] } }); // the start
    await db.collection(c).doc('a').update({ data: { n: 100 } }); // outside, after the start
    await db.collection(c).add({ data: { _id: 'late', n: 4, tags: ['x'] } }); // outside, after the start
    await tx.collection(c).doc('b').remove();
    const q = tx.collection(c).where({ tags: 'x', n: _.lt(10) });
    expect(((await q.get()) as { data: Doc[] }).data.map((d) => d._id)).toEqual(['a', 'c', 'mine']);
    const page = (await tx.collection(c).where(_.or([{ n: _.gte(3) }, { _id: 'a' }])).orderBy('n', 'desc').skip(1).limit(2).field({ n: true }).get()) as { data: Doc[] };
    expect(page.data).toEqual([{ _id: 'c', n: 3 }, { _id: 'a', n: 1 }]);
    await tx.rollback();
  });

  it('the snapshot starts at the first operation, not at startTransaction (MongoDB drivers\' transactions spec, "startTransaction")', async () => {
    // The spec: startTransaction leaves the session in the "starting transaction" state without a
    // server round trip; the first command carries `startTransaction: true` and establishes the
    // transaction's read timestamp. So commits between the two are seen, and are no conflict.
    const c = await fresh([{ _id: '1', v: 1 }]);
    const tx = await db.startTransaction();
    await db.collection(c).add({ data: { _id: 'early', v: 1 } });
    await db.collection(c).doc('1').update({ data: { v: 2 } });
    const all = async () => ((await tx.collection(c).where({}).get()) as { data: Doc[] }).data;
    expect(await all()).toEqual([{ _id: '1', v: 2 }, { _id: 'early', v: 1 }]); // the first operation
    await db.collection(c).add({ data: { _id: 'late', v: 1 } });
    await db.collection(c).doc('1').update({ data: { v: 3 } });
    expect(await all()).toEqual([{ _id: '1', v: 2 }, { _id: 'early', v: 1 }]);
    expect(await txRead(tx, c, '1')).toEqual({ _id: '1', v: 2 });
    await expect(tx.collection(c).doc('late').get()).rejects.toMatchObject({ errMsg: expect.stringMatching(/does not exist/) });
    await tx.collection(c).doc('early').update({ data: { v: 10 } });
    await expect(tx.collection(c).doc('1').update({ data: { v: 20 } })).rejects.toMatchObject({ errMsg: expect.stringMatching(CONFLICT) });
    expect([await read(c, '1'), await read(c, 'early')]).toEqual([{ _id: '1', v: 3 }, { _id: 'early', v: 1 }]);
  });

  it('a read inside the transaction sees its own update; a read outside does not until commit', async () => {
    const c = await fresh([{ _id: '1', category: 'Web' }]);
    const tx = await db.startTransaction();
    await tx.collection(c).doc('1').update({ data: { category: 'update in transaction' } });
    expect(await read(c, '1')).toEqual({ _id: '1', category: 'Web' });
    expect(await txRead(tx, c, '1')).toEqual({ _id: '1', category: 'update in transaction' });
    await tx.commit();
    expect(await read(c, '1')).toEqual({ _id: '1', category: 'update in transaction' });
  });
});

describe('write conflicts', () => {
  it('fails at once when another open transaction has written the document, and ends the failing transaction', async () => {
    const c = await fresh([{ _id: '1', category: 'Web' }]);
    const tx1 = await db.startTransaction();
    const tx2 = await db.startTransaction();
    const seen = await txRead(tx1, c, '1');
    await tx2.collection(c).doc('1').update({ data: { category: 'by tx2' } });
    await expect(tx1.collection(c).doc('1').update({ data: { category: `${seen.category} by tx1` } })).rejects.toMatchObject({ errMsg: expect.stringMatching(CONFLICT) });
    // MongoDB aborts a transaction on a write conflict; CloudBase then reports it as gone.
    await expect(tx1.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL', message: expect.stringMatching(NOT_EXIST) });
    await tx2.commit();
    expect(await read(c, '1')).toEqual({ _id: '1', category: 'by tx2' });
  });

  it('fails at once when a commit changed the document after the transaction started', async () => {
    const c = await fresh([{ _id: '1', v: 1 }]);
    const tx = await db.startTransaction();
    expect(await txRead(tx, c, '1')).toEqual({ _id: '1', v: 1 });
    await db.collection(c).doc('1').set({ data: { v: 2 } });
    await expect(tx.collection(c).doc('1').set({ data: { v: 3 } })).rejects.toMatchObject({ errMsg: expect.stringMatching(CONFLICT) });
    expect(await read(c, '1')).toEqual({ _id: '1', v: 2 });
  });

  it('a 3-transaction interleaving: no read skew, an immediate write conflict, and an abort that releases its document', async () => {
    const c = await fresh([{ _id: 'A', balance: 100 }, { _id: 'B', balance: 100 }, { _id: 'C', note: 'original' }]);
    const reader = await db.startTransaction();
    const transfer = await db.startTransaction();
    const other = await db.startTransaction();

    // The reader sees A + B = 200.
    expect((await txRead(reader, c, 'A')).balance + (await txRead(reader, c, 'B')).balance).toBe(200);

    // The transfer moves 50 from A to B; `other` touches C, then collides with the transfer on A.
    await transfer.collection(c).doc('A').update({ data: { balance: db.command.inc(-50) } });
    await transfer.collection(c).doc('B').update({ data: { balance: db.command.inc(50) } });
    await other.collection(c).doc('C').update({ data: { note: 'by other' } });
    await expect(other.collection(c).doc('A').update({ data: { balance: 0 } })).rejects.toMatchObject({ errMsg: expect.stringMatching(CONFLICT) });
    await transfer.commit();

    // Outside, the transfer is visible; the reader still sees its start: 100 + 100, never 100 + 150.
    expect([(await read(c, 'A'))?.balance, (await read(c, 'B'))?.balance]).toEqual([50, 150]);
    expect([(await txRead(reader, c, 'A')).balance, (await txRead(reader, c, 'B')).balance]).toEqual([100, 100]);
    // Writing what it read would lose the transfer: refused.
    await expect(reader.collection(c).doc('B').update({ data: { balance: 100 + 1 } })).rejects.toMatchObject({ errMsg: expect.stringMatching(CONFLICT) });

    // `other` was ended by its conflict: its write to C never lands, and C is free again.
    await expect(other.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
    expect(await read(c, 'C')).toEqual({ _id: 'C', note: 'original' });
    const next = await db.startTransaction();
    await next.collection(c).doc('C').update({ data: { note: 'after abort' } });
    await next.commit();
    expect(await read(c, 'C')).toEqual({ _id: 'C', note: 'after abort' });
    expect([(await read(c, 'A'))?.balance, (await read(c, 'B'))?.balance]).toEqual([50, 150]);
  });

  // CloudBase holds a plain write to a document an open transaction wrote until it ends
  // (shared/reference/wechat-cloudbase-contracts.md §5.3); the emulator lets it through.
  describe('emulator contract (not CloudBase)', () => {
    it('a plain write to a document the transaction wrote makes the commit conflict, which runTransaction retries (README: the emulator lets the plain write through)', async () => {
      const c = await fresh([{ _id: 'counter', value: 1 }]);
      let attempts = 0;
      await db.runTransaction(async (tx: any) => {
        attempts++;
        const { value } = (await tx.collection(c).doc('counter').get()).data;
        await tx.collection(c).doc('counter').update({ data: { value: value + 1 } });
        if (attempts === 1) await db.collection(c).doc('counter').update({ data: { value: db.command.inc(10) } });
      });
      expect(attempts).toBe(2);
      expect((await read(c, 'counter'))?.value).toBe(12);
    });
  });

  it('rollback() of an open transaction discards its writes and releases the documents', async () => {
    const c = await fresh([{ _id: 'k', v: 1 }]);
    const tx1 = await db.startTransaction();
    await tx1.collection(c).doc('k').update({ data: { v: 2 } });
    await tx1.rollback();
    const tx2 = await db.startTransaction();
    await tx2.collection(c).doc('k').update({ data: { v: 3 } });
    await tx2.commit();
    expect(await read(c, 'k')).toEqual({ _id: 'k', v: 3 });
  });
});

describe('add() with a caller-given _id', () => {
  it.each([
    ['a number', Date.UTC(2024, 0, 1)],
    ['a string', 'custom-id'],
    ['an object', { shop: 7, day: 3 }],
  ])('keeps %s as the _id (node-sdk test "insert with custom docid")', async (_label, id) => {
    const c = await fresh();
    const tx = await db.startTransaction();
    const added = (await tx.collection(c).add({ data: { _id: id, category: 'Web' } })) as { _id: unknown };
    expect(added._id).toEqual(id);
    expect(((await tx.collection(c).where({ _id: id }).get()) as { data: Doc[] }).data).toEqual([{ _id: id, category: 'Web' }]);
    await tx.commit();
    expect(await read(c, id)).toEqual({ _id: id, category: 'Web' });
  });

  it('refuses a second add with the same _id inside the transaction', async () => {
    const c = await fresh([{ _id: 7, v: 1 }]);
    const tx = await db.startTransaction();
    await expect(tx.collection(c).add({ data: { _id: 7, v: 2 } })).rejects.toMatchObject({ errMsg: expect.stringMatching(/duplicate key/) });
    await tx.rollback();
  });
});

describe('the other query shapes the SDK sends from a transaction', () => {
  it('where().updateAndReturn() updates the first match of any query in the snapshot, and answers doc null when none matches', async () => {
    const c = await fresh([{ _id: 'p', n: 1 }, { _id: 'q', n: 5 }, { _id: 'r', n: 9 }]);
    const _ = db.command;
    const tx = await db.startTransaction();
    const query = (where: object) => tx.collection(c).where(where);
    expect(await updateAndReturn(query({ n: _.gt(3) }), { n: _.inc(100) })).toMatchObject({ updated: 1, doc: { _id: 'q', n: 105 } });
    expect(await updateAndReturn(query({ n: _.gt(1000) }), { n: 0 })).toMatchObject({ updated: 0, doc: null });
    expect(await read(c, 'q')).toEqual({ _id: 'q', n: 5 });
    await tx.commit();
    expect(await read(c, 'q')).toEqual({ _id: 'q', n: 105 });
  });

  it('where().update(), remove() and count() on a transaction collection run outside it, as the SDK sends no transactionId', async () => {
    const c = await fresh([{ _id: 'k', v: 1 }]);
    const tx = await db.startTransaction();
    await tx.collection(c).add({ data: { _id: 'pending', v: 9 } });
    expect(((await tx.collection(c).where({}).count()) as { total: number }).total).toBe(1);
    await tx.collection(c).where({ _id: 'k' }).update({ data: { v: 2 } });
    expect(await read(c, 'k')).toEqual({ _id: 'k', v: 2 });
    await tx.rollback();
    expect(await read(c, 'k')).toEqual({ _id: 'k', v: 2 });
    expect(await read(c, 'pending')).toBeNull();
  });
});

describe('expiry', () => {
  it('ends a transaction not committed within 30 seconds (CloudBase: "transaction must be commit or abort in 30 seconds")', async () => {
    const c = await fresh([{ _id: 'k', v: 1 }]);
    const tx = await db.startTransaction();
    await tx.collection(c).doc('k').update({ data: { v: 2 } });
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => start + 31_000);
    try {
      await expect(tx.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL', message: expect.stringMatching(NOT_EXIST) });
    } finally {
      clock.mockRestore();
    }
    expect(await read(c, 'k')).toEqual({ _id: 'k', v: 1 });
  });
});

describe('bad input inside a transaction', () => {
  const raw = (body: Record<string, unknown>) => emulator.post<{ code?: string; message?: string }>('/admin', body);
  const writes = () => storeWrites(emulator);

  it('refuses an unknown transaction with DATABASE_TRANSACTION_FAIL and CloudBase\'s message', async () => {
    const c = await fresh([{ _id: 'k', v: 1 }]);
    const res = await raw({ action: 'database.modifyDocument', collectionName: c, transactionId: 'no-such-tx', query: JSON.stringify({ _id: 'k' }), data: JSON.stringify({ $set: { v: 2 } }), queryType: 'DOC' });
    expect(res.body).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL', message: expect.stringMatching(NOT_EXIST) });
    expect(await read(c, 'k')).toEqual({ _id: 'k', v: 1 });
  });

  it('refuses an unknown query operator with DATABASE_INVALID_OPERRATOR naming it, writes nothing, and keeps the transaction usable', async () => {
    const c = await fresh([{ _id: 'k', v: 1 }]);
    const tx = await db.startTransaction();
    const before = await writes();
    const res = await raw({ action: 'database.getDocument', collectionName: c, transactionId: (tx as any)._transaction.getTransactionId(), query: JSON.stringify({ v: { $bogus: 1 } }), queryType: 'WHERE' });
    expect(res.body).toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR', message: expect.stringContaining('$bogus') });
    await tx.collection(c).doc('k').update({ data: { v: 2 } });
    await tx.commit();
    expect(await writes()).toBe(before + 1);
    expect(await read(c, 'k')).toEqual({ _id: 'k', v: 2 });
  });
});
