// Failure paths of the emulated database: operators the store cannot evaluate must fail with a
// clear code and message (never a wrong answer), and bad input posted straight to /admin must get
// CloudBase's error shape (200 with {code, message}) without writing anything or stopping the server.
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';
import { storeWrites } from '../support/store-writes';

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
const writes = () => storeWrites(emulator);
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
  // Codes: CloudBase's general error codes (docs.cloudbase.net/en/error-code/basic): INVALID_PARAM
  // "Request parameter error", INVALID_ACTION "Invalid API call name". CloudBase documents no
  // message text for them, so each message must name the parameter at fault: one generic error
  // for everything fails here. Limits: getDocument's limit is at most 1000
  // (shared/reference/cloudbase-wire-protocol.md). The _id message is MongoDB's ImmutableField
  // error (error code 66, ImmutableField, in the MongoDB server's error codes); the unknown transaction's is
  // Tencent Cloud's ResourceUnavailable.TransactionNotExist, which the SDK passes on in errMsg.
  const PARAM = 'INVALID_PARAM';
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['a malformed JSON body', '{"action": "database.getDocument",', PARAM, /JSON/],
    ['an empty body', '', PARAM, /body/],
    ['a JSON array body', '[1, 2]', PARAM, /body must be a JSON object/],
    ['a missing action', { collectionName: C }, 'INVALID_ACTION', /action/],
    ['an unknown action', { action: 'database.dropEverything', collectionName: C }, 'INVALID_ACTION', /database\.dropEverything/],
    ['a missing collectionName', { action: 'database.getDocument' }, PARAM, /collectionName/],
    ['a numeric collectionName', { action: 'database.getDocument', collectionName: 42 }, PARAM, /collectionName/],
    ['a non-numeric limit', { action: 'database.getDocument', collectionName: C, limit: 'x' }, PARAM, /limit.*1000/],
    ['a numeric-string limit', { action: 'database.getDocument', collectionName: C, limit: '5' }, PARAM, /limit.*integer/],
    ['a limit above 1000', { action: 'database.getDocument', collectionName: C, limit: 5000 }, PARAM, /limit.*1000/],
    ['a negative offset', { action: 'database.getDocument', collectionName: C, offset: -1 }, PARAM, /offset.*non-negative/],
    ['an order that is not 1 or -1', { action: 'database.getDocument', collectionName: C, order: '{"a":"up"}' }, PARAM, /order of a must be 1 or -1/],
    ['a query that is not EJSON', { action: 'database.getDocument', collectionName: C, query: '{bad' }, PARAM, /EJSON/],
    ['a query that is a number', { action: 'database.calculateDocument', collectionName: C, query: 5 }, PARAM, /query must be an object/],
    ['insert data that is not an array', { action: 'database.insertDocument', collectionName: C, data: '{"a":3}' }, PARAM, /data must be a non-empty array/],
    ['insert data that is an empty array', { action: 'database.insertDocument', collectionName: C, data: [] }, PARAM, /data must be a non-empty array/],
    ['insert data holding a non-string', { action: 'database.insertDocument', collectionName: C, data: ['{"a":3}', 5] }, PARAM, /EJSON string/],
    ['insert data holding a non-object document', { action: 'database.insertDocument', collectionName: C, data: ['{"a":3}', '[1]'] }, PARAM, /document must be an object/],
    ['an update mixing operators and fields', { action: 'database.modifyDocument', collectionName: C, query: '{}', data: '{"$set":{"b":1},"c":2}', multi: true }, PARAM, /mixes operators and plain fields/],
    ['an empty update', { action: 'database.modifyDocument', collectionName: C, query: '{}', data: '{}', multi: true }, PARAM, /update.*empty/],
    ['an update changing _id', { action: 'database.modifyDocument', collectionName: C, query: '{}', data: '{"$set":{"_id":"zz"}}', multi: true }, 'DATABASE_INVALID_OPERRATOR', /^Performing an update on the path '_id' would modify the immutable field '_id'/],
    ['a non-boolean multi', { action: 'database.modifyDocument', collectionName: C, query: '{}', data: '{"$set":{"b":1}}', multi: 'yes' }, PARAM, /multi must be a boolean/],
    ['a non-boolean multi on remove', { action: 'database.removeDocument', collectionName: C, query: '{}', multi: 1 }, PARAM, /multi must be a boolean/],
    ['aggregate stages that are not an array', { action: 'database.aggregateDocuments', collectionName: C, stages: 'x' }, PARAM, /stages must be an array/],
    ['an aggregate stage without a value', { action: 'database.aggregateDocuments', collectionName: C, stages: [{ stageKey: '$match' }] }, PARAM, /stageValue/],
    ['an unknown transaction', { action: 'database.commitTransaction', transactionId: 'no-such-transaction' }, 'DATABASE_TRANSACTION_FAIL', /^\[ResourceUnavailable\.TransactionNotExist\] Transaction does not exist on the server/],
    ['an invalid collection name to create', { action: 'database.addCollection', collectionName: '../etc' }, PARAM, /collection name.*\.\.\/etc/],
  ];

  it.each(cases)('answers %s with 200, its own code and a message naming the fault, and writes nothing', async (_label, body, code, message) => {
    const before = await writes();
    const res = await admin(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await writes()).toBe(before);
  });

  it('keeps answering correctly after all the bad input', async () => {
    const res = await admin({ action: 'database.calculateDocument', collectionName: C, query: '{}' });
    expect(res.body).toMatchObject({ data: { total: 2 } });
    expect(res.body.code).toBeUndefined();
    expect(await documents()).toEqual([{ _id: 'one', a: 1 }, { _id: 'two', a: 2 }]);
  });
});
