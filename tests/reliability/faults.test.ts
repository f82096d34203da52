// Reliability under faults: a WeChat stand-in that is slower than the function waits, answers 5xx,
// drops connections or says the access token is invalid; a function instance crashing in the
// middle of a call; and the emulator itself killed with SIGKILL during a burst of writes.
// Failures are bare documented answers, retries are bounded, nothing is half-written, only the
// crashed call fails, and every write the emulator acknowledged survives the kill.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { ROUTES, type Fault, type WechatBody } from '../support/wechat-api';
import { waitFor } from '../support/wait-for';
import { Tally, invocationOf, spawnEmulator, type ChildEmulator } from './support';

const tally = new Tally();
let emulator: TestEmulator; // WeChat calls give up after 300 ms
let steady: TestEmulator; // default WeChat timeout, for the crash scenario
const children: ChildEmulator[] = [];
let dataDir = '';

beforeAll(async () => {
  emulator = await startTestEmulator({ functionEnv: { WECHAT_HTTP_TIMEOUT_MS: '300' } });
  steady = await startTestEmulator();
});
afterEach(() => {
  emulator.context.wechat.faults.length = 0; // a fault a test did not use up must not reach the next
  emulator.context.wechat.releaseHeld(); // nor a request it held
});
afterAll(async () => {
  const lost = tally.save();
  for (const child of children) await child.kill();
  await Promise.all([emulator?.close(), steady?.close()]);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  expect({ lost, failures: tally.failures() }).toEqual({ lost: 0, failures: [] });
});

const fault = (f: Fault) => emulator.post('/_emulator/wechat/faults', f);
const calls = async (e: TestEmulator = emulator) => ((await (await fetch(`${e.url}/_emulator/wechat/state`)).json()) as { calls: Record<string, number> }).calls;
const grew = (before: Record<string, number>, after: Record<string, number>, p: string) => (after[p] ?? 0) - (before[p] ?? 0);
const http = (route: string, body: unknown, token?: string) => emulator.post<WechatBody>(route, body, token ? { authorization: `Bearer ${token}` } : {});
const userDoc = async (openid: string) => (await emulator.context.store.find('users', { openid }))[0];
const claimOf = async (phone: string) => emulator.context.store.find('phone_claims', { _id: phone });
let nextPhone = 0;
const phone = () => `1370000${String(++nextPhone).padStart(4, '0')}`;

/** A bare 500: the caller learns nothing of WeChat's answer, our URLs, codes or secrets. */
function bare500(res: { status: number; body: WechatBody }): boolean {
  const text = JSON.stringify(res.body);
  const leaks = [emulator.secrets.appSecret, emulator.secrets.tokenSecret, emulator.url, 'api.weixin'].some((s) => text.includes(s)) || /secret|https?:\/\/|\/sns\/|\/cgi-bin\/|\/wxa\/|errcode|ECONN|timeout|\bat\s/i.test(res.body.msg);
  return res.status === 500 && res.body.code === 500 && !leaks && JSON.stringify(res.body.data) === '{}';
}

/**
 * Releases the request a 'hold' fault stopped: its caller (the function, which gave up on it) is
 * gone, so the stand-in reports that (http/request-handler.ts) instead of answering anyone.
 */
async function releaseToNobody(where: string): Promise<string> {
  expect(emulator.context.wechat.releaseHeld()).toBe(1);
  return waitFor(`the report that ${where} lost its caller`, () => emulator.output.diagnostics().find((l) => l.startsWith(`[emulator] ${where}: the client went away before the answer`)));
}

/** Logs `openid` in over HTTP and sets a first profile, so an access token is cached. */
async function signedIn(openid: string): Promise<string> {
  const token = (await http(ROUTES.login, { users_wx_code: await emulator.loginCode(openid) })).body.token as string;
  const first = await http(ROUTES.profile, { users_name: 'first', users_phone_code: await emulator.phoneCode(phone()), users_picture: 'https://img.example.com/a.png' }, token);
  expect(first.status).toBe(200);
  return token;
}

/** profile with a fresh number under `f`: the answer, what it did to WeChat, and whether it left anything behind. */
async function profileUnder(f: Fault | undefined, openid: string, setup?: () => Promise<unknown>) {
  const token = await signedIn(openid);
  const number = phone();
  const code = await emulator.phoneCode(number);
  const before = { doc: await userDoc(openid), calls: await calls() };
  await setup?.();
  if (f) await fault(f);
  const res = await http(ROUTES.profile, { users_name: 'second', users_phone_code: code, users_picture: 'https://img.example.com/b.png' }, token);
  const after = await calls();
  return {
    res,
    stable: grew(before.calls, after, '/cgi-bin/stable_token'),
    phoneCalls: grew(before.calls, after, '/wxa/business/getuserphonenumber'),
    // The name's content check (msg_sec_check, over HTTPS for an HTTP-access run) spends the token first.
    secChecks: grew(before.calls, after, '/wxa/msg_sec_check'),
    untouched: JSON.stringify(await userDoc(openid)) === JSON.stringify(before.doc) && (await claimOf(number)).length === 0,
    number,
  };
}

describe('when WeChat fails on jscode2session, login', () => {
  it.each<[string, Omit<Fault, 'path'>]>([
    ['does not answer within WECHAT_HTTP_TIMEOUT_MS (held unanswered, 300 ms timeout)', { kind: 'hold' }],
    ['answers HTTP 500', { kind: 'http500' }],
    ['drops the connection', { kind: 'drop' }],
    ['reports a system error (errcode -1)', { kind: 'errcode', errcode: -1 }],
  ])('answers a bare 500 when WeChat %s, asks WeChat once and registers nobody', async (_label, f) => {
    const openid = `o_flt_login_${f.kind}`;
    const before = await calls();
    await fault({ path: '/sns/jscode2session', ...f });
    const res = await http(ROUTES.login, { users_wx_code: await emulator.loginCode(openid) });
    const exchanges = grew(before, await calls(), '/sns/jscode2session');
    const ok = bare500(res) && exchanges === 1 && (await userDoc(openid)) === undefined;
    tally.count(`faults: wechat ${f.kind}`, { passed: ok });
    expect({ status: res.status, body: res.body, bare: bare500(res), exchanges, registered: Boolean(await userDoc(openid)) }).toEqual({ status: 500, body: res.body, bare: true, exchanges: 1, registered: false });
    if (f.kind === 'hold') await releaseToNobody('GET /sns/jscode2session');
  });
});

describe('when WeChat fails on getuserphonenumber, profile', () => {
  it.each<[string, Omit<Fault, 'path'>]>([
    ['does not answer within WECHAT_HTTP_TIMEOUT_MS', { kind: 'hold' }],
    ['answers HTTP 500', { kind: 'http500' }],
    ['drops the connection', { kind: 'drop' }],
  ])('answers a bare 500 when WeChat %s, asks once, and leaves the user and phone_claims untouched', async (_, f) => {
    const out = await profileUnder({ path: '/wxa/business/getuserphonenumber', ...f }, `o_flt_phone_${f.kind}`);
    tally.count(`faults: wechat ${f.kind}`, { passed: bare500(out.res) && out.phoneCalls === 1 && out.untouched });
    expect({ bare: bare500(out.res), phoneCalls: out.phoneCalls, untouched: out.untouched }).toEqual({ bare: true, phoneCalls: 1, untouched: true });
    if (f.kind === 'hold') await releaseToNobody('POST /wxa/business/getuserphonenumber');
  });

  it('answers a bare 500 when stable_token answers 500 while the cached token is expired, and writes nothing', async () => {
    const out = await profileUnder({ path: '/cgi-bin/stable_token', kind: 'http500' }, 'o_flt_stable500', () => emulator.post('/_emulator/wechat/expire-access-tokens', {}));
    tally.count('faults: wechat http500', { passed: bare500(out.res) && out.stable === 1 && out.phoneCalls === 0 && out.untouched });
    // The token is needed first by the content check, so the phone code is never spent.
    expect({ bare: bare500(out.res), stable: out.stable, secChecks: out.secChecks, phoneCalls: out.phoneCalls, untouched: out.untouched }).toEqual({ bare: true, stable: 1, secChecks: 1, phoneCalls: 0, untouched: true });
  });
});

describe('when the access token is refused (40001 invalid, 42001 expired)', () => {
  it.each([40001, 42001])('profile refreshes the token once and succeeds after errcode %d', async (errcode) => {
    const out = await profileUnder({ path: '/wxa/business/getuserphonenumber', kind: 'errcode', errcode }, `o_flt_tok_${errcode}`);
    const ok = out.res.status === 200 && out.phoneCalls === 2 && out.stable >= 1 && out.stable <= 2;
    tally.count('faults: access token refused', { passed: ok });
    expect({ status: out.res.status, phone: out.res.body.data.user?.users_phone, phoneCalls: out.phoneCalls, stableAtMost2: out.stable >= 1 && out.stable <= 2 }).toEqual({ status: 200, phone: out.number, phoneCalls: 2, stableAtMost2: true });
  });

  it('profile renews a token WeChat really expired with one stable_token call', async () => {
    const out = await profileUnder(undefined, 'o_flt_tok_expired', () => emulator.post('/_emulator/wechat/expire-access-tokens', {}));
    // The content check meets the expired token (42001) first and renews it; the phone call then succeeds at once.
    tally.count('faults: access token refused', { passed: out.res.status === 200 && out.stable === 1 && out.secChecks === 2 && out.phoneCalls === 1 });
    expect({ status: out.res.status, stable: out.stable, secChecks: out.secChecks, phoneCalls: out.phoneCalls }).toEqual({ status: 200, stable: 1, secChecks: 2, phoneCalls: 1 });
  });

  it('gives up after one refresh when WeChat keeps refusing: 2 attempts, at most 2 token fetches, nothing written', async () => {
    const out = await profileUnder({ path: '/wxa/business/getuserphonenumber', kind: 'errcode', errcode: 40001, times: 10 }, 'o_flt_tok_forever');
    tally.count('faults: access token refused', { passed: bare500(out.res) && out.phoneCalls === 2 && out.stable <= 2 && out.untouched });
    expect({ bare: bare500(out.res), phoneCalls: out.phoneCalls, stableAtMost2: out.stable <= 2, untouched: out.untouched }).toEqual({ bare: true, phoneCalls: 2, stableAtMost2: true, untouched: true });
  });
});

describe('a function instance crashing mid-call', () => {
  it('fails only its own call while slow and quick calls on other instances and functions succeed', async () => {
    await steady.callFunction('common', { name: 'login' }, 'o_flt_hist');
    await steady.post('/admin', { action: 'database.addCollection', collectionName: 'probe_gates' });
    await steady.post('/_emulator/wechat/faults', { path: '/sns/jscode2session', kind: 'hold' });
    const code = await steady.loginCode('o_flt_slow');
    const others = [
      steady.post<WechatBody>(ROUTES.login, { users_wx_code: code }).then((r) => r.status === 200),
      steady.callFunction('probe', { name: 'gated', data: { gate: 'crash' } }).then((r) => r.body.result === 'woke' || (console.log('[faults] the gated probe call answered', JSON.stringify(r.body)), false)),
      ...Array.from({ length: 10 }, (_, i) => steady.callFunction<{ code: number }>('user', { name: 'addHistory', hist: `during crash ${i}` }, 'o_flt_hist').then((r) => r.body.result?.code === 0)),
      ...Array.from({ length: 10 }, (_, i) => steady.callFunction('common', { name: 'login' }, `o_flt_bystander_${i}`).then((r) => r.status === 200)),
    ].map((p) => p.catch(() => undefined));
    // the slow calls are in flight: the login waits at WeChat, the gated probe call runs
    await waitFor('the login held at WeChat', () => steady.context.wechat.held.length === 1);
    await waitFor('the gated probe call to start', async () => (await steady.context.store.find('probe_gates', { _id: 'started_crash' })).length === 1);
    const crashed = await steady.callFunction('probe', { name: 'crash' });
    steady.context.wechat.releaseHeld();
    await steady.context.store.insert('probe_gates', [{ _id: 'open_crash' }]);
    const results = await Promise.all(others);
    for (const ok of results) tally.count('faults: function instance crash', { passed: ok === true, lost: ok === undefined ? 1 : 0 });
    const record = invocationOf(steady, (crashed.body as { requestID?: string }).requestID);
    tally.count('faults: function instance crash', { passed: crashed.status === 500 && record?.outcome === 'crash' });
    expect({ status: crashed.status, errCode: crashed.body.errCode, outcome: record?.outcome }).toEqual({ status: 500, errCode: -504002, outcome: 'crash' });
    expect(results).toEqual(results.map(() => true));
    expect((await steady.callFunction('probe', { name: 'context' })).status).toBe(200);
    const history = (await steady.context.store.find('users', { openid: 'o_flt_hist' }))[0]?.history as string[];
    expect(history.filter((h) => h.startsWith('during crash'))).toHaveLength(10);
  }, 30_000);
});

describe('the emulator killed with SIGKILL during a write burst', () => {
  it('keeps every write it acknowledged, after a restart on the same data', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudbase-kill9-'));
    const functionsDir = (JSON.parse(process.env.TEST_FUNCTIONS_DIRS as string) as string[])[0] as string;
    const first = await spawnEmulator(dataDir, functionsDir);
    children.push(first);
    const call = async (url: string, fn: string, event: unknown, openid: string) => {
      const res = await fetch(`${url}/functions/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wx-openid': openid }, body: JSON.stringify(event) });
      return { status: res.status, body: (await res.json()) as { result?: { code?: number; id?: number } } };
    };
    const writers = Array.from({ length: 20 }, (_, u) => `o_k9_${u}`);
    type Op = { fn: string; openid: string; event: Record<string, unknown> };
    const acked: Op[] = [];
    for (const o of writers) {
      expect((await call(first.url, 'common', { name: 'login' }, o)).status).toBe(200);
      acked.push({ fn: 'common', openid: o, event: { name: 'login' } });
    }

    // 20 rounds of one history entry per writer (never over the cap of 20), and a new registration per 2 entries.
    const ops: Op[] = Array.from({ length: 20 }, (_, r) => writers.flatMap((o, u) => [{ fn: 'user', openid: o, event: { name: 'addHistory', hist: `k9 ${u}.${r}` } }, ...(u % 2 ? [] : [{ fn: 'common', openid: `o_k9_new_${r}_${u}`, event: { name: 'login' } }])])).flat();
    let sent = 0;
    let killed = false;
    const worker = async () => {
      for (let op = ops.shift(); op && !killed; op = ops.shift()) {
        sent++;
        try {
          const res = await call(first.url, op.fn, op.event, op.openid);
          if (res.status === 200 && (op.fn === 'common' || res.body.result?.code === 0)) acked.push(op);
        } catch {
          return; // the connection died with the emulator: not acknowledged
        }
      }
    };
    const burst = Promise.all(Array.from({ length: 16 }, worker));
    const deadline = Date.now() + 60_000;
    while (acked.length < writers.length + 150 && ops.length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(ops.length).toBeGreaterThan(0); // killed in the middle of the burst, not after it
    await first.kill();
    killed = true;
    await burst;
    tally.note(`[faults] SIGKILL after ${acked.length} acknowledged of ${sent + writers.length} sent writes`);

    const second = await spawnEmulator(dataDir, functionsDir);
    children.push(second);
    type UserRow = { openid: string; id: number; history: string[] };
    const documents: UserRow[] = [];
    for (let total = Infinity; documents.length < total; ) {
      const page = (await (await fetch(`${second.url}/_emulator/console/collections/users/documents?limit=200&skip=${documents.length}`)).json()) as { documents: UserRow[]; total: number };
      documents.push(...page.documents);
      total = page.documents.length ? page.total : documents.length;
    }
    for (const op of acked) {
      const docs = documents.filter((d) => d.openid === op.openid);
      const kept = docs.length === 1 && (op.fn === 'common' || docs[0]?.history.includes((op.event as { hist: string }).hist));
      tally.count('faults: acknowledged writes after SIGKILL', { passed: kept, lost: kept ? 0 : 1 });
      expect({ op, kept }).toEqual({ op, kept: true });
    }
    expect(new Set(documents.map((d) => d.id)).size).toBe(documents.length);
    const after = await call(second.url, 'common', { name: 'login' }, 'o_k9_after_restart');
    expect(documents.map((d) => d.id)).not.toContain(after.body.result?.id);
  }, 120_000);
});
