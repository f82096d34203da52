// Writes through the real wx-server-sdk against the emulator: add (one and many), doc(id)
// set/update/remove, where().update/remove, updateAndReturn, server dates, Date round trips,
// unique indexes and createCollection.
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';
import { storeWrites } from '../support/store-writes';
import { updateAndReturn } from '../support/update-and-return';

type Doc = Record<string, any>;
type Db = ReturnType<typeof import('wx-server-sdk').database>;

let emulator: TestEmulator;
let db: Db;
let seq = 0;

const DUPLICATE = /DUPLICATE_WRITE|E11000|duplicate key/i;
const rows = async (query: { get(): unknown }): Promise<Doc[]> => ((await query.get()) as { data: Doc[] }).data;
const one = async (collection: string, id: string): Promise<Doc> => ((await db.collection(collection).doc(id).get()) as { data: Doc }).data;
/** db.serverDate({offset}): the SDK supports the option; its typings omit it. */
const serverDateIn = (offset: number): object => (db.serverDate as unknown as (options: { offset: number }) => object)({ offset });
const writes = () => storeWrites(emulator);
/** A fresh, empty collection per test so tests never see each other's documents. */
const fresh = async (): Promise<string> => {
  const name = `write_${++seq}`;
  await db.createCollection(name);
  return name;
};

beforeAll(async () => {
  emulator = await startTestEmulator();
  db = sdkFor(emulator).database();
});
afterAll(() => emulator.close());

describe('add', () => {
  it('returns the new _id and stores the document with its types intact', async () => {
    const c = await fresh();
    const data = { n: 1, f: 1.5, big: 2 ** 40, s: 'x', b: false, nil: null, arr: [1, 'two', { three: 3 }], obj: { deep: { k: 'v' } } };
    const res = (await db.collection(c).add({ data })) as { _id: string };
    expect(typeof res._id).toBe('string');
    expect(await one(c, res._id)).toEqual({ _id: res._id, ...data });
  });

  it('returns every _id from add({data: [...]}) in order and stores them all', async () => {
    const c = await fresh();
    const res = (await db.collection(c).add({ data: [{ i: 0 }, { i: 1 }, { i: 2 }] })) as unknown as { _ids: string[] };
    expect(res._ids).toHaveLength(3);
    for (const [i, id] of res._ids.entries()) expect((await one(c, id)).i).toBe(i);
  });

  it('keeps a caller-supplied _id and rejects a second add with the same _id', async () => {
    const c = await fresh();
    expect(((await db.collection(c).add({ data: { _id: 'mine', v: 1 } })) as { _id: string })._id).toBe('mine');
    await expect(db.collection(c).add({ data: { _id: 'mine', v: 2 } })).rejects.toMatchObject({ errMsg: expect.stringMatching(DUPLICATE) });
    expect(await one(c, 'mine')).toEqual({ _id: 'mine', v: 1 });
  });
});

describe('doc(id)', () => {
  it('creates the document when set() targets a missing id', async () => {
    const c = await fresh();
    const res = await db.collection(c).doc('new-id').set({ data: { a: 1 } });
    expect(res).toMatchObject({ _id: 'new-id', stats: { updated: 0, created: 1 } });
    expect(await one(c, 'new-id')).toEqual({ _id: 'new-id', a: 1 });
  });

  it('replaces the whole document when set() targets an existing id', async () => {
    const c = await fresh();
    await db.collection(c).add({ data: { _id: 'd', a: 1, keep: 'no' } });
    const res = await db.collection(c).doc('d').set({ data: { b: 2 } });
    expect(res).toMatchObject({ stats: { updated: 1, created: 0 } });
    expect(await one(c, 'd')).toEqual({ _id: 'd', b: 2 });
  });

  it('merges fields and nested paths with update() and leaves the rest alone', async () => {
    const c = await fresh();
    await db.collection(c).add({ data: { _id: 'd', a: 1, profile: { level: 1, team: 'red' } } });
    const res = await db.collection(c).doc('d').update({ data: { b: 2, profile: { level: 5 }, 'extra.flag': true } });
    expect(res).toMatchObject({ stats: { updated: 1 } });
    expect(await one(c, 'd')).toEqual({ _id: 'd', a: 1, b: 2, profile: { level: 5, team: 'red' }, extra: { flag: true } });
  });

  it('reports zero and creates nothing when update() targets a missing id', async () => {
    const c = await fresh();
    expect(await db.collection(c).doc('ghost').update({ data: { a: 1 } })).toMatchObject({ stats: { updated: 0 } });
    expect(await rows(db.collection(c))).toEqual([]);
  });

  it('deletes with remove() and reports zero for a missing id', async () => {
    const c = await fresh();
    await db.collection(c).add({ data: [{ _id: 'x' }, { _id: 'y' }] });
    expect(await db.collection(c).doc('x').remove()).toMatchObject({ stats: { removed: 1 } });
    expect(await db.collection(c).doc('x').remove()).toMatchObject({ stats: { removed: 0 } });
    expect((await rows(db.collection(c))).map((d) => d._id)).toEqual(['y']);
  });
});

describe('where()', () => {
  const seed = async (): Promise<string> => {
    const c = await fresh();
    await db.collection(c).add({ data: [{ _id: 'a', g: 1 }, { _id: 'b', g: 1 }, { _id: 'c', g: 1 }, { _id: 'd', g: 2 }] });
    return c;
  };

  it('updates every match and reports how many with update()', async () => {
    const c = await seed();
    expect(await db.collection(c).where({ g: 1 }).update({ data: { seen: true } })).toMatchObject({ stats: { updated: 3 } });
    expect((await rows(db.collection(c).where({ seen: true }))).map((d) => d._id).sort()).toEqual(['a', 'b', 'c']);
    expect(await one(c, 'd')).toEqual({ _id: 'd', g: 2 });
  });

  it('updates a single match with update({multi: false})', async () => {
    const c = await seed();
    const res = await db.collection(c).where({ g: 1 }).update({ data: { seen: true }, multi: false } as never);
    expect(res).toMatchObject({ stats: { updated: 1 } });
    expect(await rows(db.collection(c).where({ seen: true }))).toHaveLength(1);
  });

  it('removes every match and reports how many with remove()', async () => {
    const c = await seed();
    expect(await db.collection(c).where({ g: 1 }).remove()).toMatchObject({ stats: { removed: 3 } });
    expect((await rows(db.collection(c))).map((d) => d._id)).toEqual(['d']);
    expect(await db.collection(c).where({ g: 9 }).remove()).toMatchObject({ stats: { removed: 0 } });
  });

  it('returns the updated document from updateAndReturn and changes one match only', async () => {
    const c = await seed();
    const _ = db.command;
    const res = await updateAndReturn(db.collection(c).where({ _id: 'b' }), { g: _.inc(10), tag: 'x' });
    expect(res).toMatchObject({ updated: 1, doc: { _id: 'b', g: 11, tag: 'x' } });
    expect(await one(c, 'b')).toEqual({ _id: 'b', g: 11, tag: 'x' });
    const many = await updateAndReturn(db.collection(c).where({ g: 1 }), { tag: 'y' });
    expect(many.updated).toBe(1);
    expect(await rows(db.collection(c).where({ tag: 'y' }))).toHaveLength(1);
  });

  it('returns updated 0 and doc null from updateAndReturn when nothing matches (CloudBase answers doc: null)', async () => {
    const c = await seed();
    const res = await updateAndReturn(db.collection(c).where({ g: 99 }), { tag: 'z' });
    expect(res.updated).toBe(0);
    expect(res).toHaveProperty('doc', null);
  });

  // docs.cloudbase.net/en/error-code/basic/DATABASE_COLLECTION_NOT_EXIST: "The database collection being operated does not exist."
  it('fails updateAndReturn on a missing collection with DATABASE_COLLECTION_NOT_EXIST naming the collection', async () => {
    // @cloudbase/node-sdk 3.17 ignores wx-server-sdk's throwOnCode:false and throws a TcbError
    // carrying {code, message}; a build that honours it returns the same object instead.
    const outcome = await updateAndReturn(db.collection('no_such_coll').where({ a: 1 }), { a: 2 }).catch((err: unknown) => err);
    expect(outcome).toMatchObject({ code: 'DATABASE_COLLECTION_NOT_EXIST', message: expect.stringContaining('no_such_coll') });
  });
});

describe('dates', () => {
  // The server's time at the write: after the call was sent, before its answer came back.
  it('stores db.serverDate() as the Date of the write, shifted by offset', async () => {
    const c = await fresh();
    const sent = Date.now();
    const { _id } = (await db.collection(c).add({ data: { at: db.serverDate(), later: serverDateIn(60_000) } })) as { _id: string };
    const answered = Date.now();
    const doc = await one(c, _id);
    expect(doc.at).toBeInstanceOf(Date);
    expect(doc.at.getTime()).toBeGreaterThanOrEqual(sent);
    expect(doc.at.getTime()).toBeLessThanOrEqual(answered);
    expect(doc.later.getTime() - doc.at.getTime()).toBe(60_000);
  });

  it('resolves db.serverDate() inside update() and set()', async () => {
    const c = await fresh();
    const sent = Date.now();
    await db.collection(c).doc('d').set({ data: { created: db.serverDate() } });
    await db.collection(c).doc('d').update({ data: { touched: serverDateIn(-5000) } });
    const answered = Date.now();
    const doc = await one(c, 'd');
    expect(doc.created).toBeInstanceOf(Date);
    expect([doc.created.getTime() >= sent, doc.created.getTime() <= answered]).toEqual([true, true]);
    expect([doc.touched.getTime() >= sent - 5000, doc.touched.getTime() <= answered - 5000]).toEqual([true, true]);
  });

  it('returns a written Date as a Date equal to the millisecond, and matches on it', async () => {
    const c = await fresh();
    const when = new Date('2024-02-29T12:34:56.789Z');
    const { _id } = (await db.collection(c).add({ data: { when, list: [when] } })) as { _id: string };
    const doc = await one(c, _id);
    expect(doc.when).toBeInstanceOf(Date);
    expect(doc.when.getTime()).toBe(when.getTime());
    expect(doc.list[0].getTime()).toBe(when.getTime());
    expect(await rows(db.collection(c).where({ when: db.command.gte(when) }))).toHaveLength(1);
    expect(await rows(db.collection(c).where({ when: db.command.gt(when) }))).toHaveLength(0);
  });
});

describe('the unique openid index on users', () => {
  it('rejects a second add with the same openid and writes nothing', async () => {
    await db.collection('users').add({ data: { openid: 'dup-1', id: 1 } });
    const before = await writes();
    await expect(db.collection('users').add({ data: { openid: 'dup-1', id: 2 } })).rejects.toMatchObject({ errMsg: expect.stringMatching(DUPLICATE) });
    expect(await writes()).toBe(before);
    expect(await rows(db.collection('users').where({ openid: 'dup-1' }))).toEqual([expect.objectContaining({ id: 1 })]);
  });

  it('rejects add({data: [...]}) containing a duplicate and writes none of the batch', async () => {
    const before = await writes();
    const batch = [{ openid: 'batch-1', id: 11 }, { openid: 'batch-1', id: 12 }];
    await expect(db.collection('users').add({ data: batch })).rejects.toMatchObject({ errMsg: expect.stringMatching(DUPLICATE) });
    expect(await writes()).toBe(before);
    expect(await rows(db.collection('users').where({ id: db.command.in([11, 12]) }))).toEqual([]);
  });

  it('rejects an update or set that would duplicate an openid and leaves the document unchanged', async () => {
    await db.collection('users').add({ data: [{ _id: 'u1', openid: 'taken', id: 21 }, { _id: 'u2', openid: 'free', id: 22 }] });
    await expect(db.collection('users').doc('u2').update({ data: { openid: 'taken' } })).rejects.toMatchObject({ errMsg: expect.stringMatching(DUPLICATE) });
    await expect(db.collection('users').doc('u2').set({ data: { openid: 'taken', id: 23 } })).rejects.toMatchObject({ errMsg: expect.stringMatching(DUPLICATE) });
    expect(await one('users', 'u2')).toEqual({ _id: 'u2', openid: 'free', id: 22 });
  });
});

describe('createCollection', () => {
  it('creates a collection that accepts writes, and rejects creating it twice', async () => {
    await expect(db.collection('made_here').add({ data: { a: 1 } })).rejects.toMatchObject({ errCode: -502005 });
    await db.createCollection('made_here');
    await db.collection('made_here').add({ data: { a: 1 } });
    expect(await rows(db.collection('made_here'))).toEqual([expect.objectContaining({ a: 1 })]);
    await expect(db.createCollection('made_here')).rejects.toMatchObject({ errMsg: expect.stringMatching(/already exist/) });
  });
});
