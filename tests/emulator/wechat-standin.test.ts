// The WeChat server API stand-in, hit with plain fetch on WeChat's real paths
// (WeChat's mini-program server API documentation: code2Session, getAccessToken, getPhoneNumber).
import { JOBS_SETTLED } from '../../emulator/wechat/ports';
import { CODE_TTL_MS } from '../../emulator/wechat/wechat-state';
import { sdkFor, startTestEmulator, type TestEmulator, useEmulatorSources } from '../support/emulator';
import { waitFor } from '../support/wait-for';

// From the sources: jest's fake Date moves the stand-in's clock (tests/support/emulator.ts).
useEmulatorSources();

type WxReply = { errcode?: number; errmsg?: string; [key: string]: unknown };

let emulator: TestEmulator;
let env: string;
beforeAll(async () => {
  emulator = await startTestEmulator({ exportJobDelayMs: 0 });
  env = emulator.context.envId;
  const db = sdkFor(emulator).database();
  await db.createCollection('standin_items');
  for (const n of [1, 2, 3]) await db.collection('standin_items').add({ data: { n, label: `item ${n}`, at: new Date(Date.UTC(2024, 0, n)) } });
});
afterAll(() => emulator.close());
afterEach(() => jest.useRealTimers());

const get = async (path: string, query: Record<string, string>): Promise<WxReply> => (await fetch(`${emulator.url}${path}?${new URLSearchParams(query)}`)).json() as Promise<WxReply>;
const post = async (path: string, body: unknown, accessToken?: string): Promise<WxReply> => {
  const qs = accessToken === undefined ? '' : `?access_token=${encodeURIComponent(accessToken)}`;
  return (await fetch(`${emulator.url}${path}${qs}`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<WxReply>;
};
const session = (jsCode: string | undefined, overrides: Record<string, string> = {}) =>
  get('/sns/jscode2session', { appid: emulator.secrets.appid, secret: emulator.secrets.appSecret, ...(jsCode ? { js_code: jsCode } : {}), grant_type: 'authorization_code', ...overrides });
const stableToken = (forceRefresh = false) =>
  post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: emulator.secrets.appid, secret: emulator.secrets.appSecret, force_refresh: forceRefresh });
const token = async () => (await stableToken()).access_token as string;
/** Freezes Date at `ms`, leaving real timers running so the HTTP server and fetch keep working. */
const freezeDateAt = (ms: number) => {
  jest.useFakeTimers({ doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'] });
  jest.setSystemTime(ms);
};
const waitForJob = async (jobId: unknown): Promise<WxReply> => {
  for (let i = 0; i < 50; i++) {
    const info = await post('/tcb/databasemigratequeryinfo', { env, job_id: jobId }, await token());
    if (info.status === 'success' || info.status === 'fail') return info;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${String(jobId)} did not finish`);
};

describe('code2Session', () => {
  it('exchanges a minted login code for its openid and a session_key', async () => {
    const reply = await session(await emulator.loginCode('o_login_1'));
    expect(reply.errcode ?? 0).toBe(0);
    expect(reply.openid).toBe('o_login_1');
    expect(reply.session_key).toEqual(expect.any(String));
  });

  it('rejects a code used a second time with 40163 and an unknown code with 40029', async () => {
    const code = await emulator.loginCode('o_login_2');
    await session(code);
    expect((await session(code)).errcode).toBe(40163);
    expect((await session('never-minted')).errcode).toBe(40029);
  });

  it('rejects a wrong secret with 40125, a wrong appid with 40013 and a missing js_code with 41008', async () => {
    const code = await emulator.loginCode('o_login_3');
    expect((await session(code, { secret: 'wrong-secret' })).errcode).toBe(40125);
    expect((await session(code, { appid: 'wx_wrong_appid' })).errcode).toBe(40013);
    expect((await session(undefined)).errcode).toBe(41008);
    expect((await session(code)).openid).toBe('o_login_3');
  });

  it('accepts a code just before five minutes and rejects it with 40029 just after', async () => {
    const mintedAt = Date.now();
    freezeDateAt(mintedAt);
    const early = await emulator.loginCode('o_early');
    const late = await emulator.loginCode('o_late');
    jest.setSystemTime(mintedAt + CODE_TTL_MS - 1000);
    expect((await session(early)).openid).toBe('o_early');
    jest.setSystemTime(mintedAt + CODE_TTL_MS + 1000);
    expect((await session(late)).errcode).toBe(40029);
  });
});

describe('access tokens and getPhoneNumber', () => {
  it('returns the same stable token while it is valid and a new one with force_refresh', async () => {
    const first = await stableToken();
    const again = await stableToken();
    expect(first.access_token).toEqual(expect.any(String));
    expect(first.expires_in).toBeGreaterThanOrEqual(300);
    expect(again.access_token).toBe(first.access_token);
    const refreshed = await stableToken(true);
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect((await stableToken()).access_token).toBe(refreshed.access_token);
  });

  it('returns phone_info for a phone code, with the AppID in the watermark', async () => {
    const reply = await post('/wxa/business/getuserphonenumber', { code: await emulator.phoneCode('13800138000') }, await token());
    expect(reply.errcode).toBe(0);
    expect(reply.phone_info).toMatchObject({ phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86', watermark: { appid: emulator.secrets.appid } });
  });

  it('rejects a reused phone code with 40029', async () => {
    const code = await emulator.phoneCode('13800138001');
    await post('/wxa/business/getuserphonenumber', { code }, await token());
    expect((await post('/wxa/business/getuserphonenumber', { code }, await token())).errcode).toBe(40029);
  });

  it('rejects an unknown token with 40001, a missing token with 41001 and a force-refreshed-away token with 40001', async () => {
    const code = await emulator.phoneCode('13800138002');
    expect((await post('/wxa/business/getuserphonenumber', { code }, 'AT_not_issued')).errcode).toBe(40001);
    expect((await post('/wxa/business/getuserphonenumber', { code })).errcode).toBe(41001);
    const old = await token();
    await stableToken(true);
    expect((await post('/wxa/business/getuserphonenumber', { code }, old)).errcode).toBe(40001);
  });

  it('rejects an expired token with 42001 and issues a fresh stable token afterwards', async () => {
    const code = await emulator.phoneCode('13800138003');
    const old = await token();
    expect((await emulator.post('/_emulator/wechat/expire-access-tokens', {})).status).toBe(200);
    expect((await post('/wxa/business/getuserphonenumber', { code }, old)).errcode).toBe(42001);
    const fresh = await token();
    expect(fresh).not.toBe(old);
    expect((await post('/wxa/business/getuserphonenumber', { code }, fresh)).errcode).toBe(0);
  });
});

describe('token lifetimes', () => {
  const phoneErrcode = async (accessToken: string) => (await post('/wxa/business/getuserphonenumber', { code: await emulator.phoneCode('13800138009') }, accessToken)).errcode;

  it('replaces the cgi-bin/token token on each fetch, the old one working 5 more minutes and then answering 40001', async () => {
    const t0 = Date.now();
    freezeDateAt(t0);
    const plain = async () => (await get('/cgi-bin/token', { grant_type: 'client_credential', appid: emulator.secrets.appid, secret: emulator.secrets.appSecret })).access_token as string;
    const first = await plain();
    const second = await plain();
    expect(second).not.toBe(first);
    jest.setSystemTime(t0 + 4 * 60_000);
    expect(await phoneErrcode(first)).toBe(0);
    jest.setSystemTime(t0 + 5 * 60_000 + 1000);
    expect(await phoneErrcode(first)).toBe(40001);
    expect(await phoneErrcode(second)).toBe(0);
  });

  it('hands out a new stable token in the last 5 minutes of the old one, which keeps working until it expires', async () => {
    const t0 = Date.now();
    freezeDateAt(t0);
    const old = await stableToken(true);
    jest.setSystemTime(t0 + (old.expires_in as number) * 1000 - 200_000);
    const rotated = await stableToken();
    expect(rotated.access_token).not.toBe(old.access_token);
    expect(rotated.expires_in).toBeGreaterThanOrEqual(300);
    expect(await phoneErrcode(old.access_token as string)).toBe(0);
    expect(await phoneErrcode(rotated.access_token as string)).toBe(0);
  });
});

describe('tcb database APIs', () => {
  it('lists collections with their document counts and a capitalised pager', async () => {
    const reply = await post('/tcb/databasecollectionget', { env, limit: 100, offset: 0 }, await token());
    expect(reply.errcode).toBe(0);
    const collections = reply.collections as Array<{ name: string; count: number }>;
    expect(collections.find((c) => c.name === 'standin_items')).toMatchObject({ count: 3 });
    expect(reply.pager).toEqual({ Offset: 0, Limit: 100, Total: collections.length });
    const page = await post('/tcb/databasecollectionget', { env, limit: 1, offset: 1 }, await token());
    expect(page.collections).toHaveLength(1);
    expect(page.pager).toEqual({ Offset: 1, Limit: 1, Total: collections.length });
  });

  it('rejects a tcb call without a token with 41001 and with an unknown token with 40014', async () => {
    expect((await post('/tcb/databasecollectionget', { env })).errcode).toBe(41001);
    expect((await post('/tcb/databasecollectionget', { env }, 'AT_not_issued')).errcode).toBe(40014);
  });

  it('exports a collection as a job that is migrating, then succeeds with a downloadable JSON-lines file', async () => {
    await emulator.post('/_emulator/wechat/jobs/hold', {});
    const started = await post('/tcb/databasemigrateexport', { env, file_path: 'exports/items.json', file_type: 1, query: 'db.collection("standin_items").get()' }, await token());
    expect(started.errcode).toBe(0);
    expect(started.job_id).toEqual(expect.any(Number));
    const first = await post('/tcb/databasemigratequeryinfo', { env, job_id: started.job_id }, await token());
    await emulator.post('/_emulator/wechat/jobs/release', {});
    expect(first).toMatchObject({ errcode: 0, status: 'migrating', file_url: '' });
    const done = await waitForJob(started.job_id);
    expect(done).toMatchObject({ status: 'success', record_success: 3, record_fail: 0 });
    const download = await fetch(done.file_url as string);
    expect(download.status).toBe(200);
    const lines = (await download.text()).trim().split('\n').map((l) => JSON.parse(l) as { _id: string; n: number; label: string });
    expect(lines.map((d) => d.n).sort()).toEqual([1, 2, 3]);
    expect(lines.every((d) => typeof d._id === 'string' && d.label === `item ${d.n}`)).toBe(true);
  });

  it('refuses an expired or tampered download URL with 403', async () => {
    const started = await post('/tcb/databasemigrateexport', { env, file_path: 'exports/expiring.json', file_type: 1, query: 'db.collection("standin_items").get()' }, await token());
    const url = new URL((await waitForJob(started.job_id)).file_url as string);
    expect((await fetch(url)).status).toBe(200);
    const tampered = new URL(url);
    // Export files are cloud storage files: their URL carries CloudBase's t (expiry, seconds) and sign.
    tampered.searchParams.set('t', String(Math.floor(Date.now() / 1000) + 10 * 365 * 24 * 3600));
    expect((await fetch(tampered)).status).toBe(403);
    freezeDateAt(Date.now() + 2 * 3600_000);
    expect((await fetch(url)).status).toBe(403);
  });

  it('imports an exported file into an empty collection, restoring the documents', async () => {
    const exported = await post('/tcb/databasemigrateexport', { env, file_path: 'exports/restore.json', file_type: 1, query: 'db.collection("standin_items").get()' }, await token());
    await waitForJob(exported.job_id);
    const db = sdkFor(emulator).database();
    await db.createCollection('standin_restored');
    const started = await post('/tcb/databasemigrateimport', { env, collection_name: 'standin_restored', file_path: 'exports/restore.json', file_type: 1, stop_on_error: false, conflict_mode: 1 }, await token());
    expect(started.errcode).toBe(0);
    expect(await waitForJob(started.job_id)).toMatchObject({ status: 'success', record_success: 3 });
    type Rows = { data: Array<Record<string, unknown>> };
    const original = ((await db.collection('standin_items').orderBy('n', 'asc').get()) as Rows).data;
    const restored = ((await db.collection('standin_restored').orderBy('n', 'asc').get()) as Rows).data;
    expect(restored).toEqual(original);
    expect(restored[0]?.at).toBeInstanceOf(Date);
  });

  // A test waits on the work, never on the clock: POST /_emulator/wechat/jobs/settle (and the
  // JOBS_SETTLED port, the same call for a test in the emulator's process) answers once every job's
  // work is done. 5,000 documents export in five batches, each after a turn of the event loop.
  it('settles: the control call and the port answer once the jobs under way have finished', async () => {
    const { store, wechat } = emulator.context;
    await store.createCollection('standin_many');
    await store.insert('standin_many', Array.from({ length: 5000 }, (_, n) => ({ n })));
    const exported = await post('/tcb/databasemigrateexport', { env, file_path: 'exports/many.json', file_type: 1, query: 'db.collection("standin_many").get()' }, await token());
    expect((await emulator.post('/_emulator/wechat/jobs/settle', {})).body).toEqual({ ok: true });
    expect(wechat.jobs.get(exported.job_id as number)).toMatchObject({ status: 'success', recordSuccess: 5000 });
    await store.createCollection('standin_many_back');
    const imported = await post('/tcb/databasemigrateimport', { env, collection_name: 'standin_many_back', file_path: 'exports/many.json', file_type: 1, stop_on_error: false, conflict_mode: 1 }, await token());
    await emulator.context.ports.need(JOBS_SETTLED)();
    expect(wechat.jobs.get(imported.job_id as number)).toMatchObject({ status: 'success', recordSuccess: 5000 });
    expect(await store.count('standin_many_back', {})).toBe(5000);
  });
});

describe('injected faults', () => {
  const fault = (body: Record<string, unknown>) => emulator.post('/_emulator/wechat/faults', body);

  it('answers HTTP 500 for the given number of calls, then behaves normally', async () => {
    await fault({ path: '/cgi-bin/stable_token', kind: 'http500', times: 2 });
    const body = JSON.stringify({ grant_type: 'client_credential', appid: emulator.secrets.appid, secret: emulator.secrets.appSecret });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${emulator.url}/cgi-bin/stable_token`, { method: 'POST', body })).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('answers the injected errcode once', async () => {
    await fault({ path: '/wxa/business/getuserphonenumber', kind: 'errcode', errcode: 45011, times: 1 });
    const code = await emulator.phoneCode('13800138004');
    expect((await post('/wxa/business/getuserphonenumber', { code }, await token())).errcode).toBe(45011);
    expect((await post('/wxa/business/getuserphonenumber', { code }, await token())).errcode).toBe(0);
  });

  it('holds a request unanswered until released, then answers it as usual', async () => {
    await fault({ path: '/sns/jscode2session', kind: 'hold', times: 1 });
    let answered = false;
    const reply = session(await emulator.loginCode('o_held')).then((r) => ((answered = true), r));
    const state = async () => (await (await fetch(`${emulator.url}/_emulator/wechat/state`)).json()) as { heldRequests: number };
    await waitFor('the request to be held', async () => (await state()).heldRequests === 1);
    expect(answered).toBe(false);
    expect((await emulator.post('/_emulator/wechat/release-held', {})).body).toEqual({ released: 1 });
    expect((await reply).openid).toBe('o_held');
    expect((await state()).heldRequests).toBe(0);
  });

  // The delay itself is not timed here (no timed assertions); the faults suite checks that a
  // delay beyond WECHAT_HTTP_TIMEOUT_MS makes the caller give up.
  it('answers a delayed request as usual once the delay has passed', async () => {
    await fault({ path: '/sns/jscode2session', kind: 'delay', delayMs: 10, times: 1 });
    expect((await session(await emulator.loginCode('o_delayed'))).openid).toBe('o_delayed');
  });

  it('drops the connection without an answer', async () => {
    await fault({ path: '/sns/jscode2session', kind: 'drop', times: 1 });
    await expect(session(await emulator.loginCode('o_dropped'))).rejects.toThrow();
    expect((await session(await emulator.loginCode('o_after_drop'))).openid).toBe('o_after_drop');
  });

  it('rejects an unknown fault kind with 400', async () => {
    expect((await fault({ path: '/sns/jscode2session', kind: 'explode' })).status).toBe(400);
  });
});
