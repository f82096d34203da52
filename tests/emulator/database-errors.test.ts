// Failure paths of the emulated database: operators the store cannot evaluate must fail with a
// clear code and message (never a wrong answer), and bad input posted straight to /admin must get
// CloudBase's error shape (200 with {code, message}) without writing anything or stopping the server.
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

type Db = ReturnType<typeof import('wx-server-sdk').database>;
interface AdminReply {
  code?: unknown;
  message?: unknown;
  data?: { list?: string[]; updated?: number };
}

let emulator: TestEmulator;
let db: Db;
const C = 'errors_c';

const admin = (body: unknown) => emulator.post<AdminReply>('/admin', body);
const writes = async (): Promise<number> => ((await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as { writes: number }).writes;
const documents = async () => ((await db.collection(C).orderBy('a', 'asc').get()) as { data: Array<Record<string, unknown>> }).data;

beforeAll(async () => {
  emulator = await startTestEmulator();
  db = sdkFor(emulator).database();
  await db.createCollection(C);
  await db.collection(C).add({ data: [{ _id: 'one', a: 1 }, { _id: 'two', a: 2 }] });
});
afterAll(() => emulator.close());

describe('operators the emulator does not evaluate', () => {
  it('rejects an unknown query operator through the SDK with DATABASE_INVALID_OPERRATOR naming it', async () => {
    // MongoDB refuses an operator it does not know ("unknown operator: $foo"); -502002 is the SDK's DATABASE_INVALID_OPERRATOR.
    await expect(db.collection(C).where({ a: { $foo: 1 } }).get()).rejects.toMatchObject({ errCode: -502002, errMsg: expect.stringMatching(/unknown operator: \$foo/) });
    await expect(db.collection(C).where({ a: { $foo: 1 } }).count()).rejects.toMatchObject({ errMsg: expect.stringMatching(/\$foo/) });
  });

  it('refuses $where (server-side JavaScript) instead of guessing', async () => {
    const res = await admin({ action: 'database.getDocument', collectionName: C, query: JSON.stringify({ $where: 'this.a > 1' }) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR', message: expect.stringContaining('$where') });
    expect(res.body.data).toBeUndefined();
  });

  it('refuses an update or remove filtered by an unknown operator and changes nothing', async () => {
    const before = await writes();
    await expect(db.collection(C).where({ a: { $foo: 2 } }).update({ data: { hit: true } })).rejects.toMatchObject({ errMsg: expect.stringMatching(/\$foo/) });
    await expect(db.collection(C).where({ a: { $foo: 2 } }).remove()).rejects.toMatchObject({ errMsg: expect.stringMatching(/\$foo/) });
    expect(await writes()).toBe(before);
    expect(await documents()).toEqual([{ _id: 'one', a: 1 }, { _id: 'two', a: 2 }]);
  });

  it('refuses an unknown update operator sent raw and changes nothing', async () => {
    const before = await writes();
    const res = await admin({ action: 'database.modifyDocument', collectionName: C, query: '{}', data: JSON.stringify({ $bogus: { a: 1 } }), multi: true });
    expect(res.body).toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR', message: expect.stringContaining('$bogus') });
    expect(await writes()).toBe(before);
  });
});

describe('bad input posted to /admin', () => {
  const cases: Array<[string, unknown]> = [
    ['a malformed JSON body', '{"action": "database.getDocument",'],
    ['an empty body', ''],
    ['a JSON array body', '[1, 2]'],
    ['a missing action', { collectionName: C }],
    ['an unknown action', { action: 'database.dropEverything', collectionName: C }],
    ['a missing collectionName', { action: 'database.getDocument' }],
    ['a numeric collectionName', { action: 'database.getDocument', collectionName: 42 }],
    ['a non-numeric limit', { action: 'database.getDocument', collectionName: C, limit: 'x' }],
    ['a numeric-string limit', { action: 'database.getDocument', collectionName: C, limit: '5' }],
    ['a limit above 1000', { action: 'database.getDocument', collectionName: C, limit: 5000 }],
    ['a negative offset', { action: 'database.getDocument', collectionName: C, offset: -1 }],
    ['an order that is not 1 or -1', { action: 'database.getDocument', collectionName: C, order: '{"a":"up"}' }],
    ['a query that is not EJSON', { action: 'database.getDocument', collectionName: C, query: '{bad' }],
    ['a query that is a number', { action: 'database.calculateDocument', collectionName: C, query: 5 }],
    ['insert data that is not an array', { action: 'database.insertDocument', collectionName: C, data: '{"a":3}' }],
    ['insert data that is an empty array', { action: 'database.insertDocument', collectionName: C, data: [] }],
    ['insert data holding a non-string', { action: 'database.insertDocument', collectionName: C, data: ['{"a":3}', 5] }],
    ['insert data holding a non-object document', { action: 'database.insertDocument', collectionName: C, data: ['{"a":3}', '[1]'] }],
    ['an update mixing operators and fields', { action: 'database.modifyDocument', collectionName: C, query: '{}', data: '{"$set":{"b":1},"c":2}', multi: true }],
    ['an empty update', { action: 'database.modifyDocument', collectionName: C, query: '{}', data: '{}', multi: true }],
    ['an update changing _id', { action: 'database.modifyDocument', collectionName: C, query: '{}', data: '{"$set":{"_id":"zz"}}', multi: true }],
    ['a non-boolean multi', { action: 'database.modifyDocument', collectionName: C, query: '{}', data: '{"$set":{"b":1}}', multi: 'yes' }],
    ['a non-boolean multi on remove', { action: 'database.removeDocument', collectionName: C, query: '{}', multi: 1 }],
    ['aggregate stages that are not an array', { action: 'database.aggregateDocuments', collectionName: C, stages: 'x' }],
    ['an aggregate stage without a value', { action: 'database.aggregateDocuments', collectionName: C, stages: [{ stageKey: '$match' }] }],
    ['an unknown transaction', { action: 'database.commitTransaction', transactionId: 'no-such-transaction' }],
    ['an invalid collection name to create', { action: 'database.addCollection', collectionName: '../etc' }],
  ];

  it.each(cases)('answers %s with 200, a code and a message, and writes nothing', async (_label, body) => {
    const before = await writes();
    const res = await admin(body);
    expect(res.status).toBe(200);
    expect(typeof res.body.code).toBe('string');
    expect(res.body.code).not.toBe('');
    expect(typeof res.body.message).toBe('string');
    expect(res.body.message).not.toBe('');
    expect(await writes()).toBe(before);
  });

  it('keeps answering correctly after all the bad input', async () => {
    const res = await admin({ action: 'database.calculateDocument', collectionName: C, query: '{}' });
    expect(res.body).toMatchObject({ data: { total: 2 } });
    expect(res.body.code).toBeUndefined();
    expect(await documents()).toEqual([{ _id: 'one', a: 1 }, { _id: 'two', a: 2 }]);
  });
});
