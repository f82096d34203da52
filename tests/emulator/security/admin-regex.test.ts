// A regex that can take exponential time (OWASP, "Regular expression Denial of Service - ReDoS":
// `^(a+)+$`, `(x+x+)+y`; `^(\w|\w)*$` is the alternation form) reaches the emulator's database
// through the real wx-server-sdk as db.RegExp, a JavaScript RegExp, a `_.pull` condition or an
// aggregate `$match`, and is refused before it runs: the SDK rejects with -502001
// (DATABASE_REQUEST_FAILED, wx-server-sdk 4.0.2's TCB_ERR_CODE; -1 for aggregate), nothing is written, and the
// emulator goes on answering. An ordinary regex still runs as MongoDB's $regex does.
import { sdkFor, startTestEmulator, type TestEmulator } from '../../support/emulator';
import { storeWrites } from '../../support/store-writes';

type Db = ReturnType<typeof import('wx-server-sdk').database>;

let emulator: TestEmulator;
let db: Db;
const C = 'redos';
// Every stored value matches or fails these patterns quickly: were the guard gone, the test would fail
// rather than hold the worker (`^(\w|\w)*!$` against this NAME does not finish).
const NAME = 'a'.repeat(40);

beforeAll(async () => {
  emulator = await startTestEmulator();
  db = sdkFor(emulator).database();
  await db.createCollection(C);
  await db.collection(C).add({ data: [{ _id: 'one', name: NAME, tags: [NAME, 'b'] }, { _id: 'two', name: 'alice', tags: ['c'] }] });
});
afterAll(() => emulator.close());

/** The SDK's rejection, as a plain object (errCode, errMsg). */
const rejection = (call: unknown) => Promise.resolve(call).then(() => ({ errCode: 0, errMsg: 'resolved' }), (err: { errCode?: number; errMsg?: string }) => ({ errCode: err.errCode, errMsg: String(err.errMsg) }));

describe('a catastrophic regex is refused on every path the SDK sends one', () => {
  const catastrophic = () => [db.RegExp({ regexp: '^(a+)+$' }), /^(\w|\w)*$/, db.RegExp({ regexp: '(x+x+)+y', options: 'i' })];

  it.each([0, 1, 2])('in where() of get, count, update and remove (pattern %i)', async (i) => {
    const before = await storeWrites(emulator);
    const where = () => db.collection(C).where({ name: catastrophic()[i] });
    for (const call of [() => where().get(), () => where().count(), () => where().update({ data: { hit: true } }), () => where().remove()]) {
      const { errCode, errMsg } = await rejection(call());
      expect(errCode).toBe(-502001);
      expect(errMsg).toMatch(/exponential time/);
    }
    expect(await storeWrites(emulator)).toBe(before);
  });

  it('in an update that pulls by a regex condition', async () => {
    const before = await storeWrites(emulator);
    const { errCode, errMsg } = await rejection(db.collection(C).doc('one').update({ data: { tags: db.command.pull(db.RegExp({ regexp: '^(a|aa)+$' })) } }));
    expect({ errCode, exponential: /exponential time/.test(errMsg) }).toEqual({ errCode: -502001, exponential: true });
    expect(await storeWrites(emulator)).toBe(before);
  });

  // aggregate().end() rejects with an Error, which wx-server-sdk's toSDKError gives errCode -1.
  it('in an aggregate $match', async () => {
    const { errCode, errMsg } = await rejection(db.collection(C).aggregate().match({ name: db.RegExp({ regexp: '^(a+)+$' }) }).end());
    expect({ errCode, exponential: /exponential time/.test(errMsg) }).toEqual({ errCode: -1, exponential: true });
  });

  it('when the request spells $regex with a JSON escape', async () => {
    const res = await emulator.post<{ code?: string; message?: string }>('/admin', { action: 'database.getDocument', collectionName: C, query: '{"name":{"\\u0024regex":"^(a+)+$"}}' });
    expect(res.body.code).toBe('DATABASE_REQUEST_FAILED');
    expect(res.body.message).toMatch(/exponential time/);
  });
});

describe('ordinary regexes', () => {
  it('run as $regex does (MongoDB manual, $regex: a substring match unless anchored; options i)', async () => {
    const names = async (q: unknown) => ((await db.collection(C).where({ name: q }).get()) as { data: Array<{ _id: string }> }).data.map((d) => d._id).sort();
    expect(await names(db.RegExp({ regexp: 'lic' }))).toEqual(['two']);
    expect(await names(db.RegExp({ regexp: '^A', options: 'i' }))).toEqual(['one', 'two']);
    expect(await names(/^a+$/)).toEqual(['one']);
    expect(await names(db.RegExp({ regexp: '^a.*e$' }))).toEqual(['two']);
  });

  it('keep working after a refusal: the emulator answered every other request meanwhile', async () => {
    await rejection(db.collection(C).where({ name: db.RegExp({ regexp: '^(a+)+$' }) }).get());
    expect(((await db.collection(C).count()) as { total: number }).total).toBe(2);
  });
});
