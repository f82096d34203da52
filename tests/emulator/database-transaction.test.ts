// Transactions through the real wx-server-sdk against the emulator: db.runTransaction (commit,
// rollback, throw, retry on conflict) and db.startTransaction with manual commit/rollback.
import { freshCollection, sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';
import { updateAndReturn } from '../support/update-and-return';

type Doc = Record<string, any>;
type Db = ReturnType<typeof import('wx-server-sdk').database>;

let emulator: TestEmulator;
let db: Db;

const DUPLICATE = /DUPLICATE_WRITE|E11000|duplicate key/i;
/** The document, or null when it does not exist (read outside any transaction). */
const read = async (collection: string, id: string): Promise<Doc | null> => {
  const { data } = (await db.collection(collection).where({ _id: id }).get()) as { data: Doc[] };
  return data[0] ?? null;
};
const fresh = (docs: Doc[] = []): Promise<string> => freshCollection(db, 'tx', docs);

beforeAll(async () => {
  emulator = await startTestEmulator();
  db = sdkFor(emulator).database();
});
afterAll(() => emulator.close());

describe('db.runTransaction', () => {
  it('commits every write together and returns the callback result', async () => {
    const c = await fresh([{ _id: 'acc1', balance: 100 }, { _id: 'acc2', balance: 0 }, { _id: 'old', v: 1 }]);
    const result = await db.runTransaction(async (tx: any) => {
      const from = (await tx.collection(c).doc('acc1').get()).data;
      await tx.collection(c).doc('acc1').update({ data: { balance: from.balance - 30 } });
      await tx.collection(c).doc('acc2').update({ data: { balance: db.command.inc(30) } });
      await tx.collection(c).doc('created').set({ data: { by: 'tx' } });
      const added = await tx.collection(c).add({ data: { kind: 'log' } });
      await tx.collection(c).doc('old').remove();
      // The transaction reads its own writes; nothing is visible outside it yet.
      expect((await tx.collection(c).doc('acc1').get()).data.balance).toBe(70);
      expect(await read(c, 'created')).toBeNull();
      expect((await read(c, 'acc1'))?.balance).toBe(100);
      return added._id as string;
    });
    expect((await read(c, 'acc1'))?.balance).toBe(70);
    expect((await read(c, 'acc2'))?.balance).toBe(30);
    expect(await read(c, 'created')).toEqual({ _id: 'created', by: 'tx' });
    expect(await read(c, result)).toEqual({ _id: result, kind: 'log' });
    expect(await read(c, 'old')).toBeNull();
  });

  it('rejects with the reason given to tx.rollback() and writes nothing', async () => {
    const c = await fresh([{ _id: 'k', v: 1 }]);
    const outcome = db.runTransaction(async (tx: any) => {
      await tx.collection(c).doc('k').update({ data: { v: 2 } });
      await tx.collection(c).add({ data: { _id: 'n', v: 3 } });
      await tx.rollback('insufficient funds');
    });
    await expect(outcome).rejects.toBe('insufficient funds');
    expect(await read(c, 'k')).toEqual({ _id: 'k', v: 1 });
    expect(await read(c, 'n')).toBeNull();
  });

  it('rejects with the thrown error when the callback throws and writes nothing', async () => {
    const c = await fresh([{ _id: 'k', v: 1 }]);
    const outcome = db.runTransaction(async (tx: any) => {
      await tx.collection(c).doc('k').set({ data: { v: 9 } });
      await tx.collection(c).doc('gone').set({ data: { v: 1 } });
      throw new Error('validation failed');
    });
    await expect(outcome).rejects.toThrow('validation failed');
    expect(await read(c, 'k')).toEqual({ _id: 'k', v: 1 });
    expect(await read(c, 'gone')).toBeNull();
  });

  it('rejects a commit that breaks a unique index and writes none of its documents', async () => {
    await db.collection('users').add({ data: { openid: 'tx-taken', id: 501 } });
    const outcome = db.runTransaction(async (tx: any) => {
      await tx.collection('users').add({ data: { _id: 'tx-first', openid: 'tx-new', id: 502 } });
      await tx.collection('users').add({ data: { _id: 'tx-second', openid: 'tx-taken', id: 503 } });
    });
    await expect(outcome).rejects.toMatchObject({ message: expect.stringMatching(DUPLICATE) });
    expect(await read('users', 'tx-first')).toBeNull();
    expect(await read('users', 'tx-second')).toBeNull();
  });

  it('rejects with the write conflict when a document it read was changed outside, keeping the outside write', async () => {
    // CloudBase raises DATABASE_TRANSACTION_CONFLICT at the write (@cloudbase/node-sdk's own
    // transaction test "读偏"); wx-server-sdk hands it to the callback as an errMsg, which
    // runTransaction does not retry.
    const c = await fresh([{ _id: 'counter', value: 1 }]);
    let attempts = 0;
    const outcome = db.runTransaction(async (tx: any) => {
      attempts++;
      const { value } = (await tx.collection(c).doc('counter').get()).data;
      await db.collection(c).doc('counter').update({ data: { value: db.command.inc(10) } });
      await tx.collection(c).doc('counter').update({ data: { value: value + 1 } });
    });
    await expect(outcome).rejects.toMatchObject({ errMsg: expect.stringMatching(/TransactionConflict/) });
    expect(attempts).toBe(1);
    expect((await read(c, 'counter'))?.value).toBe(11);
  });
});

describe('db.startTransaction', () => {
  it('makes writes visible only after commit()', async () => {
    const c = await fresh([{ _id: 'k', v: 1 }]);
    const tx = await db.startTransaction();
    await tx.collection(c).doc('k').update({ data: { v: 2 } });
    await tx.collection(c).doc('x').set({ data: { v: 3 } });
    expect((await read(c, 'k'))?.v).toBe(1);
    await tx.commit();
    expect((await read(c, 'k'))?.v).toBe(2);
    expect(await read(c, 'x')).toEqual({ _id: 'x', v: 3 });
  });

  it('discards every write on rollback() and refuses further use of the transaction', async () => {
    const c = await fresh([{ _id: 'k', v: 1 }]);
    const tx = await db.startTransaction();
    await tx.collection(c).doc('k').remove();
    await tx.collection(c).add({ data: { _id: 'y' } });
    await tx.rollback();
    expect(await read(c, 'k')).toEqual({ _id: 'k', v: 1 });
    expect(await read(c, 'y')).toBeNull();
    await expect(tx.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
    await expect(tx.collection(c).doc('k').get()).rejects.toMatchObject({ errMsg: expect.stringMatching(/\[ResourceUnavailable\.TransactionNotExist\] Transaction does not exist on the server/) });
  });

  // CloudBase holds a plain write to a document an open transaction wrote until it ends
  // (shared/reference/wechat-cloudbase-contracts.md §5.3); the emulator does not.
  describe('emulator contract (not CloudBase)', () => {
    it('rejects commit() with a conflict when a document it wrote changed outside, and keeps the outside write', async () => {
      // CloudBase would hold the outside write until the transaction ends; the emulator lets it
      // through and fails the transaction instead, so neither update is silently lost.
      const c = await fresh([{ _id: 'k', v: 1 }]);
      const tx = await db.startTransaction();
      await tx.collection(c).doc('k').update({ data: { v: 2 } });
      await db.collection(c).doc('k').update({ data: { v: 5 } });
      await expect(tx.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
      expect(await read(c, 'k')).toEqual({ _id: 'k', v: 5 });
    });
  });

  it('returns the updated document from updateAndReturn inside a transaction and applies it only on commit', async () => {
    const c = await fresh([{ _id: 'k', v: 1 }]);
    const tx = await db.startTransaction();
    expect(await updateAndReturn(tx.collection(c).where({ _id: 'k' }), { v: db.command.inc(4) })).toMatchObject({ updated: 1, doc: { _id: 'k', v: 5 } });
    expect((await read(c, 'k'))?.v).toBe(1);
    await tx.commit();
    expect((await read(c, 'k'))?.v).toBe(5);
  });

  it('reports a missing document inside a transaction as not existing', async () => {
    const c = await fresh();
    const tx = await db.startTransaction();
    await expect(tx.collection(c).doc('nope').get()).rejects.toMatchObject({ errMsg: expect.stringMatching(/does not exist/) });
    await tx.rollback();
  });
});
