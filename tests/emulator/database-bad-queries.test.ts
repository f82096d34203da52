// Malformed queries, unknown operators and wrong operand types: each fails with
// DATABASE_INVALID_OPERRATOR and a message naming the problem (the MongoDB server's own wording,
// e.g. "$in needs an array"), writes nothing, and the emulator keeps serving.
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';
import { storeWrites } from '../support/store-writes';

interface AdminReply {
  code?: unknown;
  message?: unknown;
  data?: { list?: string[]; total?: number };
}

let emulator: TestEmulator;
const C = 'bad_queries';
const admin = (body: unknown) => emulator.post<AdminReply>('/admin', body);
const writes = () => storeWrites(emulator);

beforeAll(async () => {
  emulator = await startTestEmulator();
  const db = sdkFor(emulator).database();
  await db.createCollection(C);
  await db.collection(C).add({ data: [{ _id: 'one', a: 1, tags: ['x'] }, { _id: 'two', a: 2, tags: ['y'] }] });
});
afterAll(() => emulator.close());

// [label, query, words the message must contain]
const cases: Array<[string, unknown, string]> = [
  ['an unknown field operator', { a: { $foo: 1 } }, 'unknown operator: $foo'],
  ['an unknown top-level operator', { $foo: [{ a: 1 }] }, '$foo'],
  ['$in with a non-array', { a: { $in: 5 } }, '$in needs an array'],
  ['$nin with a non-array', { a: { $nin: 'x' } }, '$nin needs an array'],
  ['$all with a non-array', { tags: { $all: 'x' } }, '$all needs an array'],
  ['$mod with one element', { a: { $mod: [2] } }, 'malformed mod, not enough elements'],
  ['$mod with a zero divisor', { a: { $mod: [0, 1] } }, 'divisor cannot be 0'],
  ['$mod with a string divisor', { a: { $mod: ['2', 0] } }, 'divisor not a number'],
  ['$size with a string', { tags: { $size: 'one' } }, '$size needs a number'],
  ['$size with a negative number', { tags: { $size: -1 } }, '$size may not be negative'],
  ['$type with an unknown alias', { a: { $type: 'bogus' } }, 'Unknown type name alias: bogus'],
  ['$bitsAllSet with a string', { a: { $bitsAllSet: 'x' } }, '$bitsAllSet takes an Array, a number, or a BinData'],
  ['$elemMatch with a number', { tags: { $elemMatch: 3 } }, '$elemMatch needs an Object'],
  ['$not with a number', { a: { $not: 5 } }, '$not needs a regex or a document'],
  ['$and with an empty array', { $and: [] }, '$and must be a nonempty array'],
  ['$or with a non-array', { $or: { a: 1 } }, '$or must be a nonempty array'],
  ['$nor with non-object entries', { $nor: [1, 2] }, '$nor entries need to be full objects'],
  ['$jsonSchema with an unsupported keyword', { $jsonSchema: { format: 'email' } }, "$jsonSchema keyword 'format' is not currently supported"],
  ['$expr with an unknown expression operator', { $expr: { $bogus: [1, 2] } }, '$bogus'],
  ['$where (server-side JavaScript)', { $where: 'this.a == 1' }, '$where'],
];

describe('malformed queries on every read and write action', () => {
  it.each(cases)('refuses %s in get, count, update and remove, and writes nothing', async (_label, query, words) => {
    const before = await writes();
    const q = JSON.stringify(query);
    for (const body of [
      { action: 'database.getDocument', collectionName: C, query: q },
      { action: 'database.calculateDocument', collectionName: C, query: q },
      { action: 'database.modifyDocument', collectionName: C, query: q, data: '{"$set":{"hit":true}}', multi: true },
      { action: 'database.modifyAndReturnDoc', collectionName: C, query: q, data: '{"$set":{"hit":true}}' },
      { action: 'database.removeDocument', collectionName: C, query: q, multi: true },
    ]) {
      const res = await admin(body);
      expect({ action: body.action, status: res.status, code: res.body.code, hasData: res.body.data !== undefined }).toEqual({ action: body.action, status: 200, code: 'DATABASE_INVALID_OPERRATOR', hasData: false });
      expect(String(res.body.message)).toContain(words);
    }
    expect(await writes()).toBe(before);
  });

  it('refuses a projection with a malformed $slice and a mixed inclusion/exclusion', async () => {
    for (const projection of [{ tags: { $slice: 'x' } }, { tags: { $slice: [1, 0] } }, { a: 1, tags: 0 }]) {
      const res = await admin({ action: 'database.getDocument', collectionName: C, query: '{}', projection: JSON.stringify(projection) });
      expect(res.body.code).toBe('DATABASE_INVALID_OPERRATOR');
      expect(typeof res.body.message).toBe('string');
    }
  });

  it('keeps serving correct answers afterwards', async () => {
    const res = await admin({ action: 'database.calculateDocument', collectionName: C, query: JSON.stringify({ a: { $in: [1, 2] } }) });
    expect(res.body).toMatchObject({ data: { total: 2 } });
    const db = sdkFor(emulator).database();
    expect(((await db.collection(C).get()) as { data: unknown[] }).data).toEqual([{ _id: 'one', a: 1, tags: ['x'] }, { _id: 'two', a: 2, tags: ['y'] }]);
  });
});
