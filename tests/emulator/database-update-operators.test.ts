// Update operators through the real wx-server-sdk against the emulator: each db.command update
// operator applied with doc(id).update and where().update, checked by reading the document back.
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

type Doc = Record<string, any>;
type Db = ReturnType<typeof import('wx-server-sdk').database>;

let emulator: TestEmulator;
let db: Db;
let seq = 0;
const C = 'update_ops';

/** Writes `doc` under a new id, applies `data` with doc(id).update and returns the document read back. */
const applyUpdate = async (doc: Doc, data: Doc): Promise<Doc> => {
  const id = `doc_${++seq}`;
  await db.collection(C).doc(id).set({ data: doc });
  const res = await db.collection(C).doc(id).update({ data });
  expect(res).toMatchObject({ stats: { updated: 1 } });
  const { _id, ...rest } = ((await db.collection(C).doc(id).get()) as { data: Doc }).data;
  expect(_id).toBe(id);
  return rest;
};

beforeAll(async () => {
  emulator = await startTestEmulator();
  db = sdkFor(emulator).database();
  await db.createCollection(C);
});
afterAll(() => emulator.close());

describe('field operators', () => {
  it('adds to a number with _.inc, creating a missing field and accepting negatives', async () => {
    const _ = db.command;
    expect(await applyUpdate({ n: 5, m: 1.5 }, { n: _.inc(2), m: _.inc(-0.5), fresh: _.inc(3) })).toEqual({ n: 7, m: 1, fresh: 3 });
  });

  it('multiplies with _.mul, setting a missing field to 0', async () => {
    const _ = db.command;
    expect(await applyUpdate({ n: 4 }, { n: _.mul(2.5), missing: _.mul(7) })).toEqual({ n: 10, missing: 0 });
  });

  it('deletes a field with _.remove(), including a nested one', async () => {
    const _ = db.command;
    expect(await applyUpdate({ a: 1, b: 2, o: { x: 1, y: 2 } }, { b: _.remove(), 'o.y': _.remove() })).toEqual({ a: 1, o: { x: 1 } });
  });

  it('replaces a whole sub-object with _.set, unlike a plain nested update which merges', async () => {
    const _ = db.command;
    expect(await applyUpdate({ o: { x: 1, y: 2 } }, { o: _.set({ z: 3 }) })).toEqual({ o: { z: 3 } });
    expect(await applyUpdate({ o: { x: 1, y: 2 } }, { o: { z: 3 } })).toEqual({ o: { x: 1, y: 2, z: 3 } });
  });

  it('keeps the larger or smaller value with _.max and _.min, and renames with _.rename', async () => {
    const _ = db.command;
    expect(await applyUpdate({ hi: 5, lo: 5, old: 'v' }, { hi: _.max(9), lo: _.min(2), old: _.rename('renamed') })).toEqual({ hi: 9, lo: 2, renamed: 'v' });
    expect(await applyUpdate({ hi: 5, lo: 5 }, { hi: _.max(1), lo: _.min(8) })).toEqual({ hi: 5, lo: 5 });
  });

  it('applies several operators and plain fields in one update', async () => {
    const _ = db.command;
    const out = await applyUpdate({ n: 1, tags: ['a'], gone: true }, { n: _.inc(1), tags: _.push('b'), gone: _.remove(), label: 'new' });
    expect(out).toEqual({ n: 2, tags: ['a', 'b'], label: 'new' });
  });
});

describe('array operators', () => {
  it('appends values with _.push(value) and _.push([values])', async () => {
    const _ = db.command;
    expect(await applyUpdate({ a: [1] }, { a: _.push(2) })).toEqual({ a: [1, 2] });
    expect(await applyUpdate({ a: [1] }, { a: _.push([2, 3]) })).toEqual({ a: [1, 2, 3] });
    expect(await applyUpdate({ b: 0 }, { a: _.push([{ k: 1 }]) })).toEqual({ b: 0, a: [{ k: 1 }] });
  });

  it('inserts at a position and trims with _.push({each, position, slice})', async () => {
    const _ = db.command;
    expect(await applyUpdate({ a: [1, 2, 3] }, { a: _.push({ each: [9, 8], position: 1 }) })).toEqual({ a: [1, 9, 8, 2, 3] });
    expect(await applyUpdate({ a: [1, 2, 3] }, { a: _.push({ each: [4, 5], slice: 3 }) })).toEqual({ a: [1, 2, 3] });
    expect(await applyUpdate({ a: [1, 2, 3] }, { a: _.push({ each: [4, 5], slice: -2 }) })).toEqual({ a: [4, 5] });
    expect(await applyUpdate({ a: [1, 2, 3] }, { a: _.push({ each: [0], position: 0, slice: 2 }) })).toEqual({ a: [0, 1] });
  });

  it('sorts after pushing with _.push({each, sort})', async () => {
    const _ = db.command;
    expect(await applyUpdate({ a: [3, 1] }, { a: _.push({ each: [2], sort: -1 }) })).toEqual({ a: [3, 2, 1] });
  });

  it('removes matching elements with _.pull, by value and by condition', async () => {
    const _ = db.command;
    expect(await applyUpdate({ a: [1, 2, 1, 3] }, { a: _.pull(1) })).toEqual({ a: [2, 3] });
    expect(await applyUpdate({ a: [1, 5, 9] }, { a: _.pull(_.gte(5)) })).toEqual({ a: [1] });
    expect(await applyUpdate({ a: [{ k: 1 }, { k: 2 }] }, { a: _.pull({ k: 2 }) })).toEqual({ a: [{ k: 1 }] });
    expect(await applyUpdate({ a: [1, 2, 3] }, { a: _.pullAll([1, 3]) })).toEqual({ a: [2] });
  });

  it('adds only missing values with _.addToSet, one or {$each: [...]}', async () => {
    const _ = db.command;
    expect(await applyUpdate({ a: ['x'] }, { a: _.addToSet('x') })).toEqual({ a: ['x'] });
    expect(await applyUpdate({ a: ['x'] }, { a: _.addToSet('y') })).toEqual({ a: ['x', 'y'] });
    expect(await applyUpdate({ a: ['x'] }, { a: _.addToSet({ $each: ['x', 'z', 'z'] }) })).toEqual({ a: ['x', 'z'] });
  });

  it('drops the last element with _.pop and the first with _.shift', async () => {
    const _ = db.command;
    expect(await applyUpdate({ a: [1, 2, 3] }, { a: _.pop() })).toEqual({ a: [1, 2] });
    expect(await applyUpdate({ a: [1, 2, 3] }, { a: _.shift() })).toEqual({ a: [2, 3] });
  });

  it('prepends values in order with _.unshift', async () => {
    const _ = db.command;
    expect(await applyUpdate({ a: [3] }, { a: _.unshift(1, 2) })).toEqual({ a: [1, 2, 3] });
    expect(await applyUpdate({ a: [3] }, { a: _.unshift([0]) })).toEqual({ a: [0, 3] });
  });

  it('updates an array element by index path', async () => {
    const _ = db.command;
    expect(await applyUpdate({ a: [10, 20, 30] }, { 'a.1': _.inc(5) })).toEqual({ a: [10, 25, 30] });
  });
});

describe('operators through where().update', () => {
  it('applies _.inc to every matching document', async () => {
    const _ = db.command;
    await db.collection(C).add({ data: [{ grp: 'w', n: 1 }, { grp: 'w', n: 10 }, { grp: 'other', n: 100 }] });
    expect(await db.collection(C).where({ grp: 'w' }).update({ data: { n: _.inc(1) } })).toMatchObject({ stats: { updated: 2 } });
    const docs = ((await db.collection(C).where({ grp: _.in(['w', 'other']) }).orderBy('n', 'asc').get()) as { data: Doc[] }).data;
    expect(docs.map((d) => d.n)).toEqual([2, 11, 100]);
  });
});

describe('invalid updates', () => {
  it('rejects _.inc on a non-numeric field and leaves the document unchanged', async () => {
    const _ = db.command;
    await db.collection(C).doc('text').set({ data: { s: 'abc' } });
    await expect(db.collection(C).doc('text').update({ data: { s: _.inc(1) } })).rejects.toMatchObject({ errMsg: expect.stringMatching(/\$inc .*non-numeric/) });
    expect(((await db.collection(C).doc('text').get()) as { data: Doc }).data).toEqual({ _id: 'text', s: 'abc' });
  });

  it('rejects _.push on a field that is not an array', async () => {
    const _ = db.command;
    await db.collection(C).doc('scalar').set({ data: { a: 5 } });
    await expect(db.collection(C).doc('scalar').update({ data: { a: _.push(1) } })).rejects.toMatchObject({ errMsg: expect.stringMatching(/\$push .*non-array/) });
    expect(((await db.collection(C).doc('scalar').get()) as { data: Doc }).data).toEqual({ _id: 'scalar', a: 5 });
  });

  it('rejects creating a field inside a scalar and leaves the document unchanged', async () => {
    await db.collection(C).doc('inside').set({ data: { a: 5 } });
    await expect(db.collection(C).doc('inside').update({ data: { 'a.b': 1 } })).rejects.toMatchObject({ errMsg: expect.stringMatching(/Cannot create field 'b'/) });
    expect(((await db.collection(C).doc('inside').get()) as { data: Doc }).data).toEqual({ _id: 'inside', a: 5 });
  });
});
