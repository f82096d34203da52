// The README's database fidelity table, rows for query operators, projection, natural order and
// the small points: each row here goes through the real wx-server-sdk, and each expected value is
// what the MongoDB manual (https://www.mongodb.com/docs/manual/reference/operator/) or CloudBase's
// documentation says for the same data. Comparison operators, _.in/_.nin, _.exists, _.size,
// _.or/_.and/_.neq and RegExp are covered with the same rule in database-query.test.ts.
import { freshCollection, sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';
import { updateAndReturn } from '../support/update-and-return';

type Doc = Record<string, any>;
type Db = ReturnType<typeof import('wx-server-sdk').database>;

let emulator: TestEmulator;
let db: Db;
let _: any; // db.command: its typings lack expr, jsonSchema and project

const rows = async (query: { get(): unknown }): Promise<Doc[]> => ((await query.get()) as { data: Doc[] }).data;
const ids = async (query: { get(): unknown }): Promise<unknown[]> => (await rows(query)).map((d) => d._id).sort();
const collectionWith = (docs: Doc[]): Promise<string> => freshCollection(db, 'fidelity', docs);

beforeAll(async () => {
  emulator = await startTestEmulator();
  db = sdkFor(emulator).database();
  _ = db.command;
});
afterAll(() => emulator.close());

describe('query operators (db.command) with MongoDB meaning', () => {
  it('_.all matches arrays holding every value, a scalar equal to the one value, and nothing for [] (manual: $all)', async () => {
    // Manual: "{ tags: { $all: [ 'ssl', 'security' ] } }" is equivalent to "{ $and: [ { tags: 'ssl' }, { tags: 'security' } ] }".
    const c = await collectionWith([
      { _id: 1, tags: ['appliance', 'school', 'book'] },
      { _id: 2, tags: ['school', 'book'] },
      { _id: 3, tags: ['appliance', 'school', 'book', 'electronics'] },
      { _id: 4, tags: 'school' },
    ]);
    expect(await ids(db.collection(c).where({ tags: _.all(['appliance', 'school', 'book']) }))).toEqual([1, 3]);
    expect(await ids(db.collection(c).where({ tags: _.all(['school']) }))).toEqual([1, 2, 3, 4]);
    expect(await ids(db.collection(c).where({ tags: _.all([]) }))).toEqual([]);
  });

  it('_.all with _.elemMatch needs an element matching each condition (manual: $all with $elemMatch)', async () => {
    const c = await collectionWith([
      { _id: 1, qty: [{ size: 'S', num: 10 }, { size: 'M', num: 45 }] },
      { _id: 2, qty: [{ size: 'M', num: 100 }, { size: 'L', num: 100 }] },
      { _id: 3, qty: [{ size: 'M', num: 50 }] },
    ]);
    const query = { qty: _.all([_.elemMatch({ size: 'M', num: _.gt(50) }), _.elemMatch({ num: 100 })]) };
    expect(await ids(db.collection(c).where(query))).toEqual([2]);
  });

  it('_.mod matches numbers only, truncating divisor and remainder toward zero (manual: $mod)', async () => {
    // Manual example: qty 0, 5, 12 with { $mod: [4, 0] } returns qty 0 and 12; 4.0, 4.5 and 4.99 as divisor give the same.
    const c = await collectionWith([{ _id: 1, qty: 0 }, { _id: 2, qty: 5 }, { _id: 3, qty: 12 }, { _id: 4, qty: '12' }, { _id: 5 }]);
    expect(await ids(db.collection(c).where({ qty: _.mod(4, 0) }))).toEqual([1, 3]);
    expect(await ids(db.collection(c).where({ qty: _.mod(4.5, 0) }))).toEqual([1, 3]);
    expect(await ids(db.collection(c).where({ qty: _.mod(4.99, 0) }))).toEqual([1, 3]);
    expect(await ids(db.collection(c).where({ qty: _.mod(4, 1) }))).toEqual([2]);
  });

  it('_.expr compares fields of the same document (manual: $expr, monthlyBudget example)', async () => {
    const c = await collectionWith([
      { _id: 1, category: 'food', budget: 400, spent: 450 },
      { _id: 2, category: 'drinks', budget: 100, spent: 150 },
      { _id: 3, category: 'clothes', budget: 100, spent: 50 },
      { _id: 4, category: 'misc', budget: 500, spent: 300 },
      { _id: 5, category: 'travel', budget: 200, spent: 650 },
    ]);
    const $ = _.aggregate;
    expect(await ids(db.collection(c).where(_.expr($.gt(['$spent', '$budget']))))).toEqual([1, 2, 5]);
    expect(await ids(db.collection(c).where(_.and([_.expr($.gt(['$spent', '$budget'])), { category: _.neq('food') }])))).toEqual([2, 5]);
  });

  it('_.jsonSchema keeps documents valid against the schema, bsonType included (manual: $jsonSchema)', async () => {
    const c = await collectionWith([
      { _id: 1, name: 'Alice', year: 2019, major: 'History' },
      { _id: 2, name: 'Bob', year: '2019' },
      { _id: 3, year: 2020 },
      { _id: 4, name: 'Carol', year: 1999 },
    ]);
    const schema = { required: ['name', 'year'], properties: { name: { bsonType: 'string' }, year: { bsonType: 'int', minimum: 2017, maximum: 3017 } } };
    expect(await ids(db.collection(c).where(_.jsonSchema(schema)))).toEqual([1]);
    expect(await db.collection(c).where(_.jsonSchema({ required: ['name'] })).count()).toMatchObject({ total: 3 });
  });

  it('_.elemMatch on plain values needs one element meeting every condition (manual: $elemMatch, scores example)', async () => {
    const c = await collectionWith([{ _id: 1, results: [82, 85, 88] }, { _id: 2, results: [75, 88, 89] }, { _id: 3, results: 83 }]);
    expect(await ids(db.collection(c).where({ results: _.elemMatch(_.gte(80).and(_.lt(85))) }))).toEqual([1]);
  });

  it('_.elemMatch on documents needs one element meeting every condition (manual: $elemMatch, survey example)', async () => {
    const c = await collectionWith([
      { _id: 1, results: [{ product: 'abc', score: 10 }, { product: 'xyz', score: 5 }] },
      { _id: 2, results: [{ product: 'abc', score: 8 }, { product: 'xyz', score: 7 }] },
      { _id: 3, results: [{ product: 'abc', score: 7 }, { product: 'xyz', score: 8 }] },
      { _id: 4, results: [{ product: 'abc', score: 7 }, { product: 'def', score: 8 }] },
    ]);
    expect(await ids(db.collection(c).where({ results: _.elemMatch({ product: 'xyz', score: _.gte(8) }) }))).toEqual([3]);
  });

  it('_.elemMatch with field conditions skips elements that are not documents, on every query path (manual: $elemMatch, "Array of Embedded Documents")', async () => {
    // MongoDB's ElemMatchObjectMatchExpression::matchesArray tests only elements that are
    // documents (it `continue`s past the others), so of these three only the third can match a
    // condition on `value`. The form on plain values and a dotted path are other expressions.
    const c = await collectionWith([
      { _id: 1, tags: [1, 3, 7] },
      { _id: 2, tags: ['Go'] },
      { _id: 3, tags: [{ value: 1 }, { value: 7 }] },
    ]);
    const onDocs = [_.elemMatch({ value: _.exists(true) }), _.elemMatch({ value: _.gt(5) }), _.elemMatch({ value: _.mod(7, 0) }), _.elemMatch({ value: 7 })];
    for (const tags of onDocs) {
      expect(await ids(db.collection(c).where({ tags }))).toEqual([3]);
      expect(await db.collection(c).where({ tags }).count()).toMatchObject({ total: 1 });
      expect(await ids(db.collection(c).where({ tags: _.all([tags]) }))).toEqual([3]);
      const { list } = (await db.collection(c).aggregate().match({ tags }).end()) as { list: Doc[] };
      expect(list.map((d) => d._id)).toEqual([3]);
    }
    expect(await db.collection(c).where({ tags: _.elemMatch({ value: _.exists(true) }) }).update({ data: { hit: true } })).toMatchObject({ stats: { updated: 1 } });
    expect(await ids(db.collection(c).where({ hit: true }))).toEqual([3]);
    // The projection picks the first element the query's $elemMatch would match (manual: $elemMatch projection).
    expect(await rows(db.collection(c).field({ tags: _.project.elemMatch({ value: 7 }) } as never))).toEqual([{ _id: 1 }, { _id: 2 }, { _id: 3, tags: [{ value: 7 }] }]);
    // Unchanged: conditions on the elements themselves, and `tags.value`, which reads into documents only.
    expect(await ids(db.collection(c).where({ tags: _.elemMatch(_.gt(5)) }))).toEqual([1]);
    expect(await ids(db.collection(c).where({ 'tags.value': _.exists(true) }))).toEqual([3]);
    expect(await ids(db.collection(c).where({ 'tags.value': _.gt(5) }))).toEqual([3]);
  });

  it('_.not matches what the inner condition does not, including documents without the field (manual: $not)', async () => {
    // Manual: "{ price: { $not: { $gt: 1.99 } } }" selects price <= 1.99 or no price field.
    const c = await collectionWith([{ _id: 1, price: 1.99, item: 'pen' }, { _id: 2, price: 2.5, item: 'pencil' }, { _id: 3, item: 'paper' }, { _id: 4, price: 0.5, item: 'eraser' }]);
    expect(await ids(db.collection(c).where({ price: _.not(_.gt(1.99)) }))).toEqual([1, 3, 4]);
    expect(await ids(db.collection(c).where({ item: _.not(/^p.*/) }))).toEqual([4]);
  });

  it('_.nor matches documents failing every clause, missing fields included (manual: $nor)', async () => {
    // Manual: "{ $nor: [ { price: 1.99 }, { sale: true } ] }" also returns documents lacking price or sale.
    const c = await collectionWith([{ _id: 1, price: 1.99, sale: true }, { _id: 2, price: 1.99, sale: false }, { _id: 3, price: 2, sale: true }, { _id: 4, price: 2, sale: false }, { _id: 5 }, { _id: 6, price: 3 }]);
    expect(await ids(db.collection(c).where(_.nor([{ price: 1.99 }, { sale: true }])))).toEqual([4, 5, 6]);
  });

  it('_.exists on a nested path, in dotted and in nested-object form (manual: $exists)', async () => {
    const c = await collectionWith([{ _id: 1, a: { b: 1 } }, { _id: 2, a: { b: null } }, { _id: 3, a: {} }, { _id: 4 }, { _id: 5, a: [{ b: 2 }, { c: 3 }] }]);
    expect(await ids(db.collection(c).where({ 'a.b': _.exists(true) }))).toEqual([1, 2, 5]);
    expect(await ids(db.collection(c).where({ a: { b: _.exists(false) } }))).toEqual([3, 4]);
  });

  it('keeps field names containing "." as stored, and reads them with $getField (manual: "Field Names with Periods")', async () => {
    // MongoDB 5.0+ stores such names; a dotted query path still means nesting, so { 'price.usd': 45 } does not match the
    // literal field, and $getField reads it.
    const c = await collectionWith([{ _id: 'dotted', 'price.usd': 45, price: { usd: 10 } }]);
    const [doc] = await rows(db.collection(c).where({ _id: 'dotted' }));
    expect(doc).toEqual({ _id: 'dotted', 'price.usd': 45, price: { usd: 10 } });
    expect(await ids(db.collection(c).where({ 'price.usd': 45 }))).toEqual([]);
    expect(await ids(db.collection(c).where({ 'price.usd': 10 }))).toEqual(['dotted']);
    expect(await ids(db.collection(c).where(_.expr(_.aggregate.eq([{ $getField: 'price.usd' }, 45]))))).toEqual(['dotted']);
  });
});

describe('projection (field())', () => {
  const posts = [
    { _id: 1, title: 'a', comments: ['c1', 'c2', 'c3', 'c4'], meta: { likes: 3, views: 9 } },
    { _id: 2, title: 'b', comments: ['d1'], meta: { likes: 1, views: 2 } },
  ];

  it('_.project.slice(n), slice(-n) and slice([skip, n]) return what $slice returns (manual: $slice projection)', async () => {
    const c = await collectionWith(posts);
    const comments = async (spec: unknown) => (await rows(db.collection(c).field({ comments: spec } as never))).map((d) => d.comments);
    expect(await comments(_.project.slice(2))).toEqual([['c1', 'c2'], ['d1']]);
    expect(await comments(_.project.slice(-1))).toEqual([['c4'], ['d1']]);
    expect(await comments(_.project.slice([1, 2]))).toEqual([['c2', 'c3'], []]);
    // $slice alone keeps every other field (manual: "db.posts.find( {}, { comments: { $slice: 2 } } )" returns all fields).
    expect((await rows(db.collection(c).field({ comments: _.project.slice(1) } as never)))[0]).toEqual({ ...posts[0], comments: ['c1'] });
  });

  it('_.project.elemMatch returns only the first matching element, and omits the field when none matches (manual: $elemMatch projection)', async () => {
    const c = await collectionWith([
      { _id: 1, zipcode: '63109', students: [{ name: 'john', school: 102, age: 10 }, { name: 'jess', school: 102, age: 11 }, { name: 'jeff', school: 108, age: 15 }] },
      { _id: 2, zipcode: '63110', students: [{ name: 'ajax', school: 100, age: 7 }, { name: 'achilles', school: 100, age: 8 }] },
      { _id: 3, zipcode: '63109', students: [{ name: 'ajax', school: 100, age: 7 }, { name: 'achilles', school: 100, age: 8 }] },
    ]);
    const found = await rows(db.collection(c).where({ zipcode: '63109' }).field({ students: _.project.elemMatch({ school: 102 }) } as never));
    expect(found).toEqual([{ _id: 1, students: [{ name: 'john', school: 102, age: 10 }] }, { _id: 3 }]);
    const scores = await collectionWith([{ _id: 1, s: [3, 9, 12] }, { _id: 2, s: [1] }]);
    expect(await rows(db.collection(scores).field({ s: _.project.elemMatch({ $gt: 5 }) } as never))).toEqual([{ _id: 1, s: [9] }, { _id: 2 }]);
  });

  it('field() with true/false and 1/0 includes or excludes, _id included unless excluded (manual: Projection)', async () => {
    const c = await collectionWith(posts);
    expect(await rows(db.collection(c).field({ title: true, 'meta.likes': true }))).toEqual([{ _id: 1, title: 'a', meta: { likes: 3 } }, { _id: 2, title: 'b', meta: { likes: 1 } }]);
    expect(await rows(db.collection(c).field({ comments: false, meta: 0, _id: false } as never))).toEqual([{ title: 'a' }, { title: 'b' }]);
  });

  it('refuses a projection mixing inclusion and exclusion, as MongoDB does (manual: Projection restrictions)', async () => {
    const c = await collectionWith(posts);
    await expect(db.collection(c).field({ title: true, comments: false }).get()).rejects.toMatchObject({ errCode: -502002, errMsg: expect.stringMatching(/exclusion/i) });
  });
});

describe('natural order (no orderBy): insertion order, as CloudBase returns it', () => {
  it('get() returns documents in insertion order, not _id order; an update keeps the place; a re-added document goes last', async () => {
    const c = await collectionWith([{ _id: 'm', n: 1 }, { _id: 'z', n: 2 }, { _id: 'a', n: 3 }]);
    await db.collection(c).add({ data: { _id: 'b', n: 4 } });
    await db.collection(c).doc('z').update({ data: { n: 20 } });
    await db.collection(c).doc('m').set({ data: { n: 10 } });
    expect((await rows(db.collection(c))).map((d) => d._id)).toEqual(['m', 'z', 'a', 'b']);
    await db.collection(c).doc('z').remove();
    await db.collection(c).add({ data: { _id: 'z', n: 5 } });
    expect((await rows(db.collection(c))).map((d) => d._id)).toEqual(['m', 'a', 'b', 'z']);
  });

  it('every skip/limit page continues the same order, filtered or not', async () => {
    const docs = Array.from({ length: 25 }, (_x, i) => ({ _id: `k${(i * 7919) % 1000}`, i, even: i % 2 === 0 }));
    const c = await collectionWith(docs);
    const pages: unknown[] = [];
    for (let skip = 0; skip < 25; skip += 4) pages.push(...(await rows(db.collection(c).skip(skip).limit(4))).map((d) => d.i));
    expect(pages).toEqual(docs.map((d) => d.i));
    const evens: unknown[] = [];
    for (let skip = 0; skip < 13; skip += 5) evens.push(...(await rows(db.collection(c).where({ even: true }).skip(skip).limit(5))).map((d) => d.i));
    expect(evens).toEqual(docs.filter((d) => d.even).map((d) => d.i));
  });

  // MongoDB manual, cursor.sort() "Sort Consistency": documents with duplicate sort values "may be
  // returned in any order"; only the sort key's order is promised.
  it('orderBy puts every tie before the lower key, the ties among themselves in any order', async () => {
    const c = await collectionWith([{ _id: 'x', g: 1 }, { _id: 'c', g: 0 }, { _id: 'y', g: 1 }, { _id: 'b', g: 1 }]);
    const ids = (await rows(db.collection(c).orderBy('g', 'desc'))).map((d) => d._id);
    expect([[...ids.slice(0, 3)].sort(), ids[3]]).toEqual([['b', 'x', 'y'], 'c']);
  });

  it('aggregate() without $sort returns documents in insertion order', async () => {
    const c = await collectionWith([{ _id: 'q', v: 1 }, { _id: 'b', v: 2 }, { _id: 'k', v: 3 }]);
    const { list } = (await db.collection(c).aggregate().match({ v: _.gte(1) }).end()) as { list: Doc[] };
    expect(list.map((d) => d._id)).toEqual(['q', 'b', 'k']);
  });
});

describe('small fidelity points', () => {
  it('updateAndReturn with no match answers doc: null (CloudBase modifyAndReturnDoc)', async () => {
    const c = await collectionWith([{ _id: 1, v: 1 }]);
    const res = await updateAndReturn(db.collection(c).where({ v: 2 }), { v: 3 });
    expect(res).toMatchObject({ updated: 0, doc: null });
  });

  it('add() with a field name starting with "$" fails with DATABASE_REQUEST_FAILED (-502001) and stores nothing', async () => {
    // MongoDB: "Top-level field names cannot start with the dollar sign ($) character" (manual: Field Names).
    const c = await collectionWith([]);
    await expect(db.collection(c).add({ data: { $key: 1 } })).rejects.toMatchObject({ errCode: -502001, errMsg: expect.stringContaining('$key') });
    await expect(db.collection(c).add({ data: { ok: 1, nested: { $inner: 1 } } })).rejects.toMatchObject({ errCode: -502001 });
    expect(await db.collection(c).count()).toMatchObject({ total: 0 });
  });

  it('the positional $ updates the first array element the query matched (manual: $ (update), grades example)', async () => {
    const c = await collectionWith([{ _id: 1, grades: [85, 80, 80] }, { _id: 2, grades: [88, 90, 92] }, { _id: 3, grades: [85, 100, 90] }]);
    await db.collection(c).where({ _id: 1, grades: 80 }).update({ data: { 'grades.$': 82 } });
    expect(await rows(db.collection(c))).toEqual([{ _id: 1, grades: [85, 82, 80] }, { _id: 2, grades: [88, 90, 92] }, { _id: 3, grades: [85, 100, 90] }]);
  });

  it('add() keeps a caller-given _id of any type and refuses a second one (manual: _id field)', async () => {
    const c = await collectionWith([]);
    await db.collection(c).add({ data: [{ _id: 7, kind: 'number' }, { _id: '7', kind: 'string' }] });
    expect(await rows(db.collection(c).where({ _id: 7 }))).toEqual([{ _id: 7, kind: 'number' }]);
    expect(await rows(db.collection(c).where({ _id: '7' }))).toEqual([{ _id: '7', kind: 'string' }]);
    await expect(db.collection(c).add({ data: { _id: 7 } })).rejects.toMatchObject({ errMsg: expect.stringMatching(/DUPLICATE_WRITE|duplicate key/) });
  });
});
