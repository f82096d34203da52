// Every numeric or id field of the handlers (ids given as text too), given values that a lax parse would coerce (Number(),
// z.coerce) into a number or into a crash: each answers the function's documented invalid-input
// error with a sentence naming the field, never INTERNAL and never zod's own wording.
// - user: seed 001/002 code -1 "提交的参数非法" (the submitted parameters are invalid), in the
//   seed's envelope { code, msg, data: [] }.
// - backdb, common: the call is rejected and its message begins with the code, INVALID_PARAMS
//   (docs/design-notes: "common, backdb: the call rejects with a message that begins with the code").
// Fixed regression cases of the fuzz in tests/reliability/bad-input.test.ts are marked "fuzz".
// A JSON request cannot carry -0 (JSON.stringify(-0) is "0", ECMA-262 SerializeJSONProperty), so
// -0 arrives as 0: bad where the field must be at least 1, a valid gender.
import { startTestEmulator, type TestEmulator } from '../support/emulator';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

/** Values no numeric field accepts: objects whose toString/valueOf are not functions, arrays, and strings that Number() would read as a number. */
const NOT_NUMBERS: unknown[] = [
  { toString: 1 }, // fuzz: {"name":"listJobs","limit":{"toString":1}} answered INTERNAL
  { valueOf: 1, toString: 1 },
  { valueOf: 42 },
  {},
  [],
  [5],
  '1e400',
  '1e3',
  '0x10',
  '0b1',
  '-0',
  'NaN',
  'Infinity',
  'abc',
  '',
  ' 5',
  '5 ',
  '007',
  '5.0',
  1.5,
  true,
  null,
  '99999999999999999999', // beyond Number.MAX_SAFE_INTEGER: not one id
];
/** Numbers out of the field's range (whole numbers from 1). */
const BELOW_ONE: unknown[] = [-0, 0, -1, '0', '-1'];

const show = (v: unknown) => (JSON.stringify(v) ?? String(v));

async function backdbError(name: string, data: Record<string, unknown>): Promise<string> {
  const res = await emulator.callFunction('backdb', { name, data });
  expect(res.status).not.toBe(200);
  return res.body.errMsg ?? '';
}

describe('backdb', () => {
  test.each([...NOT_NUMBERS, ...BELOW_ONE, 101, '101'].map((v) => [show(v), v]))('listJobs limit %s → INVALID_PARAMS "limit must be a whole number from 1 to 100"', async (_s, limit) => {
    expect(await backdbError('listJobs', { limit })).toMatch(/INVALID_PARAMS: limit must be a whole number from 1 to 100$/);
  });

  test.each([...NOT_NUMBERS, ...BELOW_ONE].map((v) => [show(v), v]))('getJobUrl job_id %s → INVALID_PARAMS "job_id must be a job id"', async (_s, jobId) => {
    expect(await backdbError('getJobUrl', { job_id: jobId })).toMatch(/INVALID_PARAMS: job_id must be a job id \(a positive whole number\)$/);
  });

  test.each([...NOT_NUMBERS, ...BELOW_ONE].map((v) => [show(v), v]))('restoreJob job_id %s → INVALID_PARAMS', async (_s, jobId) => {
    expect(await backdbError('restoreJob', { job_id: jobId, collection: 'restored' })).toMatch(/INVALID_PARAMS: job_id must be a job id \(a positive whole number\)$/);
  });

  test('a missing job_id is named as required; the fuzz counterexample at the top level of the event too', async () => {
    expect(await backdbError('getJobUrl', {})).toMatch(/INVALID_PARAMS: job_id is required$/);
    const res = await emulator.callFunction('backdb', { name: 'listJobs', limit: { toString: 1 } });
    expect(res.body.errMsg).toMatch(/INVALID_PARAMS: limit must be a whole number from 1 to 100$/);
  });

  test('what the seed allows still works: a number, or its digits as a string (seed 000: job_id "备份任务id")', async () => {
    expect((await emulator.callFunction('backdb', { name: 'listJobs', data: { limit: 5 } })).status).toBe(200);
    expect((await emulator.callFunction('backdb', { name: 'listJobs', data: { limit: '100' } })).status).toBe(200);
    expect(await backdbError('getJobUrl', { job_id: '424242' })).toMatch(/NOT_FOUND: .*424242/);
  });
});

describe('user (seed code -1 for invalid parameters)', () => {
  const user = async (event: Record<string, unknown>) => (await emulator.callFunction<{ code: number; msg: string; data: unknown }>('user', event)).body.result;
  // Every handler that names its user by user_id, with the other fields it needs.
  const HANDLERS: Array<[string, Record<string, unknown>]> = [
    ['get', {}],
    ['getHistory', {}],
    ['addHistory', { hist: 'coffee' }],
    ['cleanHistory', {}],
    ['update', { update: { nick_name: 'n' } }],
    ['logout', {}],
    ['login', {}],
    ['loginByOpenid', {}],
  ];
  const cases = HANDLERS.flatMap(([name, rest]) => [...NOT_NUMBERS, ...BELOW_ONE].map((v) => [name, show(v), rest, v] as const));

  test.each(cases)('%s user_id %s → -1 "user_id must be a user id"', async (name, _s, rest, userId) => {
    expect(await user({ name, ...rest, user_id: userId })).toEqual({ code: -1, msg: 'user_id must be a user id (a positive whole number)', data: [] });
  });

  test('the fuzz counterexample: user.get with {"toString":1} as user_id answered -3 "internal error"', async () => {
    expect(await user({ name: 'get', user_id: { toString: 1 } })).toEqual({ code: -1, msg: 'user_id must be a user id (a positive whole number)', data: [] });
  });

  test.each([...NOT_NUMBERS.filter((v) => v !== '-0'), 2, -1, '2', '-0'].map((v) => [show(v), v]))('update gender %s → -1 "gender must be 0 or 1" (seed 002: int, 0或1)', async (_s, gender) => {
    await emulator.callFunction('common', { name: 'login' }, 'o_numeric_gender');
    const answer = (await emulator.callFunction<{ code: number; msg: string }>('user', { name: 'update', update: { gender } }, 'o_numeric_gender')).body.result;
    expect(answer).toEqual({ code: -1, msg: 'gender must be 0 or 1', data: [] });
  });
});

describe('ids given as text', () => {
  const NOT_TEXT: unknown[] = [{ toString: 1 }, { valueOf: 1, toString: 1 }, [], ['users'], {}, 5, true, null];
  test.each(NOT_TEXT.map((v) => [show(v), v]))('user.get openid %s → -1 "openid must be an openid"', async (_s, openid) => {
    const answer = (await emulator.callFunction('user', { name: 'get', openid })).body.result;
    expect(answer).toEqual({ code: -1, msg: 'openid must be an openid (1-128 letters, digits, _ or -)', data: [] });
  });

  test.each([...NOT_TEXT, '', '../etc', '1abc'].map((v) => [show(v), v]))('backdb createJob collection %s → INVALID_PARAMS "collection must be a collection name"', async (_s, collection) => {
    expect(await backdbError('createJob', { collection })).toMatch(/INVALID_PARAMS: collection must be a collection name$/);
  });
});

describe('common', () => {
  // uid is the user's _id (any string) or numeric id: only values that are neither are bad.
  test.each([{ toString: 1 }, { valueOf: 1, toString: 1 }, [], [5], {}, -0, 0, -1, 1.5, true, null].map((v) => [show(v), v]))('setUserInfo uid %s → INVALID_PARAMS', async (_s, uid) => {
    const res = await emulator.callFunction('common', { name: 'setUserInfo', data: { uid, nickname: 'n', avatarUrl: 'https://example.com/a.png' } });
    expect(res.status).not.toBe(200);
    expect(res.body.errMsg).toMatch(/INVALID_PARAMS: uid must be the user's _id or numeric id$/);
  });
});

describe("the emulator's own doors", () => {
  // CloudBase's getTempFileURL answers a bad maxAge per file (INVALID_PARAM), the rest of the call going on.
  test.each([{ toString: 1 }, { valueOf: 1, toString: 1 }, [], '600', 'abc', 1.5, true, null].map((v) => [show(v), v]))('storage.batchGetDownloadUrl max_age %s → that file INVALID_PARAM', async (_s, maxAge) => {
    const res = await emulator.post<{ data?: { download_list: Array<{ code: string }> } }>('/admin', { action: 'storage.batchGetDownloadUrl', file_list: [{ fileid: 'cloud://local-env.bucket/a.png', max_age: maxAge }] });
    expect(res.status).toBe(200);
    expect(res.body.data?.download_list[0]?.code).toBe('INVALID_PARAM');
  });

  test.each([{ toString: 1 }, '5', [], 1.5].map((v) => [show(v), v]))('a WeChat fault with times %s → 400 naming the field', async (_s, times) => {
    const res = await emulator.post<{ error: string }>('/_emulator/wechat/faults', { path: '/cgi-bin/token', kind: 'http500', times });
    expect(res).toMatchObject({ status: 400, body: { error: 'times must be a whole number' } });
  });
});
