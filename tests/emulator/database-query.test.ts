// Reads through the real wx-server-sdk against the emulator: where() with every query operator,
// nested paths, regular expressions, orderBy/skip/limit/field, count and doc(id).get.
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

type Doc = Record<string, any>;
type Db = ReturnType<typeof import('wx-server-sdk').database>;

let emulator: TestEmulator;
let db: Db;
const C = 'query_people';

const PEOPLE: Doc[] = [
  { _id: 'p1', name: 'Alice', age: 30, city: 'Beijing', tags: ['a', 'b'], profile: { level: 3, team: { name: 'red' } } },
  { _id: 'p2', name: 'Bob', age: 25, city: 'Shanghai', tags: ['b'], profile: { level: 1, team: { name: 'blue' } } },
  { _id: 'p3', name: 'carol', age: 35, city: 'Beijing', tags: [], profile: { level: 2, team: { name: 'red' } }, nickname: 'cc' },
  { _id: 'p4', name: 'Dave', age: 40, city: 'Shenzhen', tags: ['c'], profile: { level: 5, team: { name: 'green' } }, nickname: null },
  { _id: 'p5', name: 'Eve', age: 22, city: 'Shanghai', tags: ['a'], profile: { level: 4, team: { name: 'blue' } } },
];

const rows = async (query: { get(): unknown }): Promise<Doc[]> => ((await query.get()) as { data: Doc[] }).data;
const ids = async (query: { get(): unknown }): Promise<string[]> => (await rows(query)).map((d) => d._id as string).sort();
const where = (condition: Doc) => db.collection(C).where(condition);

beforeAll(async () => {
  emulator = await startTestEmulator();
  db = sdkFor(emulator).database();
  await db.createCollection(C);
  await db.collection(C).add({ data: PEOPLE });
});
afterAll(() => emulator.close());

describe('where() comparison operators', () => {
  it('returns documents matching a plain equality and _.eq', async () => {
    const _ = db.command;
    expect(await ids(where({ city: 'Beijing' }))).toEqual(['p1', 'p3']);
    expect(await ids(where({ age: _.eq(25) }))).toEqual(['p2']);
  });

  it('returns documents not equal with _.neq, including ones missing the field', async () => {
    const _ = db.command;
    expect(await ids(where({ city: _.neq('Beijing') }))).toEqual(['p2', 'p4', 'p5']);
    expect(await ids(where({ nickname: _.neq('cc') }))).toEqual(['p1', 'p2', 'p4', 'p5']);
  });

  it('returns documents within bounds with _.gt, _.gte, _.lt and _.lte', async () => {
    const _ = db.command;
    expect(await ids(where({ age: _.gt(30) }))).toEqual(['p3', 'p4']);
    expect(await ids(where({ age: _.gte(30) }))).toEqual(['p1', 'p3', 'p4']);
    expect(await ids(where({ age: _.lt(25) }))).toEqual(['p5']);
    expect(await ids(where({ age: _.lte(25) }))).toEqual(['p2', 'p5']);
    expect(await ids(where({ age: _.gt(22).and(_.lt(35)) }))).toEqual(['p1', 'p2']);
  });

  it('returns documents whose field is in or not in a list with _.in and _.nin', async () => {
    const _ = db.command;
    expect(await ids(where({ city: _.in(['Shanghai', 'Shenzhen']) }))).toEqual(['p2', 'p4', 'p5']);
    expect(await ids(where({ city: _.nin(['Shanghai', 'Shenzhen']) }))).toEqual(['p1', 'p3']);
    expect(await ids(where({ tags: _.in(['c']) }))).toEqual(['p4']);
  });

  it('returns documents by field presence with _.exists', async () => {
    const _ = db.command;
    expect(await ids(where({ nickname: _.exists(true) }))).toEqual(['p3', 'p4']);
    expect(await ids(where({ nickname: _.exists(false) }))).toEqual(['p1', 'p2', 'p5']);
  });
});

describe('where() logical operators', () => {
  it('returns the union with _.or across fields and within one field', async () => {
    const _ = db.command;
    expect(await ids(db.collection(C).where(_.or([{ city: 'Shenzhen' }, { age: _.lt(25) }])))).toEqual(['p4', 'p5']);
    expect(await ids(where({ age: _.lt(23).or(_.gt(39)) }))).toEqual(['p4', 'p5']);
  });

  it('returns the intersection with _.and', async () => {
    const _ = db.command;
    expect(await ids(db.collection(C).where(_.and([{ city: 'Beijing' }, { age: _.gt(30) }])))).toEqual(['p3']);
  });

  it('returns documents matching none of the clauses with _.nor', async () => {
    const _ = db.command;
    expect(await ids(db.collection(C).where(_.nor([{ city: 'Beijing' }, { age: _.lt(25) }])))).toEqual(['p2', 'p4']);
  });

  it('returns documents not matching the condition with _.not', async () => {
    const _ = db.command;
    expect(await ids(where({ age: _.not(_.gt(30)) }))).toEqual(['p1', 'p2', 'p5']);
    expect(await ids(where({ name: _.not(_.in(['Alice', 'Bob'])) }))).toEqual(['p3', 'p4', 'p5']);
  });
});

describe('where() with null and arrays, as MongoDB reads them', () => {
  it('returns documents whose field is null or missing for a null equality, _.eq(null) and _.in([null])', async () => {
    const _ = db.command;
    expect(await ids(where({ nickname: null }))).toEqual(['p1', 'p2', 'p4', 'p5']);
    expect(await ids(where({ nickname: _.eq(null) }))).toEqual(['p1', 'p2', 'p4', 'p5']);
    expect(await ids(where({ nickname: _.in([null, 'cc']) }))).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  });

  it('returns only documents holding a non-null value for _.neq(null) and _.nin([null])', async () => {
    const _ = db.command;
    expect(await ids(where({ nickname: _.neq(null) }))).toEqual(['p3']);
    expect(await ids(where({ nickname: _.nin([null]) }))).toEqual(['p3']);
  });

  it('returns documents with no array element equal for _.neq and _.nin on an array field', async () => {
    const _ = db.command;
    expect(await ids(where({ tags: _.neq('a') }))).toEqual(['p2', 'p3', 'p4']);
    expect(await ids(where({ tags: _.nin(['a', 'c']) }))).toEqual(['p2', 'p3']);
  });

  it('returns documents not matching a native RegExp under _.not', async () => {
    const _ = db.command;
    expect(await ids(where({ city: _.not(/^sh/i as never) }))).toEqual(['p1', 'p3']);
  });
});

describe('where() on nested fields and patterns', () => {
  it('returns documents matched on a dotted path and on a nested object', async () => {
    const _ = db.command;
    expect(await ids(where({ 'profile.level': _.gte(4) }))).toEqual(['p4', 'p5']);
    expect(await ids(where({ 'profile.team.name': 'red' }))).toEqual(['p1', 'p3']);
    expect(await ids(where({ profile: { team: { name: 'blue' } } }))).toEqual(['p2', 'p5']);
    expect(await ids(where({ profile: { level: _.lt(2) } }))).toEqual(['p2']);
  });

  it('returns documents matched by db.RegExp and a native RegExp, honouring options', async () => {
    expect(await ids(where({ name: db.RegExp({ regexp: '^c', options: 'i' }) }))).toEqual(['p3']);
    expect(await ids(where({ name: db.RegExp({ regexp: '^[A-C]' }) }))).toEqual(['p1', 'p2']);
    expect(await ids(where({ city: /^sh/i }))).toEqual(['p2', 'p4', 'p5']);
  });

  it('returns documents whose array field contains a value', async () => {
    expect(await ids(where({ tags: 'a' }))).toEqual(['p1', 'p5']);
  });
});

describe('orderBy, skip, limit and field', () => {
  it('returns documents sorted ascending and descending, with a secondary key', async () => {
    expect((await rows(db.collection(C).orderBy('age', 'asc'))).map((d) => d._id)).toEqual(['p5', 'p2', 'p1', 'p3', 'p4']);
    expect((await rows(db.collection(C).orderBy('age', 'desc'))).map((d) => d._id)).toEqual(['p4', 'p3', 'p1', 'p2', 'p5']);
    const byCity = await rows(db.collection(C).orderBy('city', 'asc').orderBy('age', 'desc'));
    expect(byCity.map((d) => d._id)).toEqual(['p3', 'p1', 'p2', 'p5', 'p4']);
  });

  it('returns the requested page with skip and limit', async () => {
    const page = await rows(db.collection(C).orderBy('age', 'asc').skip(1).limit(2));
    expect(page.map((d) => d._id)).toEqual(['p2', 'p1']);
    expect(await rows(db.collection(C).orderBy('age', 'asc').skip(10))).toEqual([]);
  });

  it('sorts on a nested field path', async () => {
    expect((await rows(db.collection(C).orderBy('profile.level', 'desc'))).map((d) => d._id)).toEqual(['p4', 'p5', 'p1', 'p3', 'p2']);
  });

  it('returns 100 documents by default and at most 1000 with limit()', async () => {
    await db.createCollection('query_many');
    await db.collection('query_many').add({ data: Array.from({ length: 1005 }, (_, i) => ({ i })) });
    expect(await rows(db.collection('query_many'))).toHaveLength(100);
    expect(await rows(db.collection('query_many').limit(250))).toHaveLength(250);
    expect(await rows(db.collection('query_many').limit(5000))).toHaveLength(1000);
    const tail = await rows(db.collection('query_many').orderBy('i', 'asc').skip(1000));
    expect(tail.map((d) => d.i)).toEqual([1000, 1001, 1002, 1003, 1004]);
  });

  it('returns only the projected fields with field()', async () => {
    const [alice] = await rows(where({ _id: 'p1' }).field({ name: true, 'profile.level': true }));
    expect(alice).toEqual({ _id: 'p1', name: 'Alice', profile: { level: 3 } });
    const [bob] = await rows(where({ _id: 'p2' }).field({ profile: false, tags: false }));
    expect(bob).toEqual({ _id: 'p2', name: 'Bob', age: 25, city: 'Shanghai' });
  });

  it('returns a projected document from doc(id).field().get()', async () => {
    const res = (await db.collection(C).doc('p4').field({ city: true }).get()) as { data: Doc };
    expect(res.data).toEqual({ _id: 'p4', city: 'Shenzhen' });
  });
});

describe('count and doc(id).get', () => {
  it('returns the number of matching documents from count()', async () => {
    const _ = db.command;
    expect(((await db.collection(C).count()) as { total: number }).total).toBe(5);
    expect(((await where({ age: _.gte(30) }).count()) as { total: number }).total).toBe(3);
    expect(((await where({ city: 'Nowhere' }).count()) as { total: number }).total).toBe(0);
  });

  it('returns one document from doc(id).get()', async () => {
    const res = (await db.collection(C).doc('p2').get()) as { data: Doc };
    expect(res.data).toEqual(PEOPLE[1]);
  });

  it('rejects doc(id).get() for a missing id with a not-exist message', async () => {
    await expect(db.collection(C).doc('nope').get()).rejects.toMatchObject({ errMsg: expect.stringMatching(/does not exist/) });
  });
});

describe('a collection that does not exist', () => {
  it('rejects get, count and add with errCode -502005', async () => {
    const missing = db.collection('never_created');
    await expect(missing.get()).rejects.toMatchObject({ errCode: -502005 });
    await expect(missing.count()).rejects.toMatchObject({ errCode: -502005 });
    await expect(missing.add({ data: { a: 1 } })).rejects.toMatchObject({ errCode: -502005 });
    await expect(missing.doc('x').get()).rejects.toMatchObject({ errCode: -502005 });
  });
});
