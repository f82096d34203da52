// Who may call what, for every handler of every function, by every kind of caller CloudBase can
// put in front of a function (issue 23). The callers are simulated the way the platform injects
// them (emulator/runner/function-runner.ts), and what each may do follows shared/router/caller.ts:
// - a mini-program user: getWXContext() OPENID, SOURCE wx_client (developers.weixin.qq.com,
//   reference-sdk-api/utils/Cloud.getWXContext);
// - a CloudBase web user, anonymous or custom login: TCB_UUID / TCB_ISANONYMOUS_USER /
//   TCB_CUSTOM_USER_ID listed in TCB_CONTEXT_KEYS, LOGINTYPE, no OPENID (@cloudbase/node-sdk 3.17.2
//   dist/auth/index.js getUserInfo, dist/utils/tcbcontext.js; docs.cloudbase.net/api-reference/
//   server/node-sdk/auth). This backend's users are mini-program users: a web user may do nothing;
// - HTTP access with the gateway's keys (TCB_CONTEXT_KEYS: TCB_SOURCE_IP) and without them (only the
//   documented integrated request, docs.cloudbase.net/service/access-cloud-function): the wechat
//   API (seed 004) and nothing else;
// - the timer with SOURCE wx_trigger and without it (the documented event {Type: "Timer",
//   TriggerName}; node-sdk dist/utils/tcbapirequester.js: the caller may pass no SOURCE): backdb's
//   weekly createAllJob (seed 000) and nothing else;
// - the server side (tcb fn invoke, the console: no end user of any kind): what seeds 000/001/002
//   give an operator (naming any user, backups, restore), never the mini-program user's own calls.
import { startTestEmulator, type TestEmulator, useEmulatorSources } from '../support/emulator';
import { HTTP_ROUTES } from '../../cloudfunctions/wechat/http-routes';

// From the sources: runner.invoke's outcome is checked with expect.any(Array) (tests/support/emulator.ts).
useEmulatorSources();

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ functionEnv: { RATE_LIMIT_PER_CALLER: '1000', RATE_LIMIT_PER_IP: '100000', RATE_LIMIT_WINDOW_SECONDS: '86400' } });
});
afterAll(() => emulator.close());

type Kind = 'user' | 'webUser' | 'http' | 'timer' | 'server';

/** Who each handler admits, and why (the seed or rule that says so). */
const MATRIX: Record<string, Record<string, { allow: Kind[]; why: string }>> = {
  common: {
    login: { allow: ['user'], why: 'seed 000: registers the caller from getWXContext().OPENID' },
    auth: { allow: ['user'], why: 'seed 000: the features granted to the calling user' },
    setUserInfo: { allow: ['user', 'server'], why: 'seed 000: the user sets their own profile; a server names the uid' },
  },
  user: Object.fromEntries(
    ['login', 'getOpenid', 'loginByOpenid', 'get', 'update', 'logout', 'addHistory', 'getHistory', 'cleanHistory'].map((n) => [n, { allow: ['user', 'server'] as Kind[], why: 'seeds 001/002: a user about themself, a server naming the openid or user_id' }]),
  ),
  wechat: {
    login: { allow: ['user', 'http'], why: 'seed 004: POST /pb/api/wechat/login, or callFunction by the mini-program' },
    profile: { allow: ['user', 'http'], why: 'seed 004: Bearer token over HTTP, or the mini-program user' },
    refreshToken: { allow: ['user', 'http'], why: 'seed 004: POST /pb/api/system/refresh-token' },
    usersCount: { allow: ['user', 'http', 'server'], why: 'seed 004: a public count' },
  },
  backdb: {
    createAllJob: { allow: ['server', 'timer', 'user'], why: 'seed 000: the weekly timer; users granted the backdb feature' },
    createJob: { allow: ['server', 'user'], why: 'seed 000 (users granted the backdb feature)' },
    getJobUrl: { allow: ['server', 'user'], why: 'seed 000 (users granted the backdb feature)' },
    listJobs: { allow: ['server', 'user'], why: 'README backdb (users granted the backdb feature)' },
    restoreJob: { allow: ['server'], why: 'overwrites data: server side only' },
  },
};

const WEB_ANONYMOUS = { 'x-tcb-uuid': 'uid_anon_1', 'x-tcb-isanonymous-user': 'true' };
const WEB_CUSTOM = { 'x-tcb-uuid': 'uid_custom_1', 'x-tcb-custom-user-id': 'shop-42' };
const WEB_LOGINTYPE_ONLY = { 'x-tcb-logintype': 'CUSTOM' };

/** The documented integrated request (docs.cloudbase.net/service/access-cloud-function). */
const integrated = (path: string, body: unknown = {}) => ({
  path, httpMethod: 'POST', headers: { 'content-type': 'application/json' }, queryStringParameters: {},
  requestContext: { requestId: 'req-1', envId: 'local-env', appId: 123456789, uin: 123456789 }, body: JSON.stringify(body), isBase64Encoded: false,
});
const HTTP_ROUTES_BY_NAME = Object.fromEntries(Object.entries(HTTP_ROUTES).map(([path, name]) => [name, path])) as Record<string, string>;
const TIMER_EVENT = { Type: 'Timer', TriggerName: 'weeklyBackup', Time: '2026-12-07T20:00:00Z' };

async function call(fn: string, event: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await emulator.post<{ result?: unknown; errCode?: number; errMsg?: string }>(`/functions/${fn}`, event, headers);
  return { status: res.status, text: JSON.stringify(res.body), body: res.body };
}
const writes = async () => ((await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as { writes: number }).writes;
/** The router's refusal of a caller kind, in every function's shape (shared/router/create-router.ts). */
const REFUSED = /may not be called by/;

const cells = Object.entries(MATRIX).flatMap(([fn, handlers]) => Object.entries(handlers).map(([name, cell]) => [fn, name, cell] as const));

describe('a mini-program user', () => {
  it.each(cells)('%s.%s: admitted only where the handler admits users', async (fn, name, cell) => {
    const res = await call(fn, { name }, { 'x-wx-openid': 'o_matrix_user' });
    expect(REFUSED.test(res.text)).toBe(!cell.allow.includes('user'));
  });

  it('sending a timer event runs no backup: an event without a name', async () => {
    const jobs = emulator.context.wechat.jobs.size;
    const res = await call('backdb', TIMER_EVENT, { 'x-wx-openid': 'o_matrix_user' });
    expect(res.body.errMsg).toMatch(/^.*UNKNOWN_ACTION/);
    expect(emulator.context.wechat.jobs.size).toBe(jobs);
  });
});

describe.each([
  ['anonymous login', WEB_ANONYMOUS],
  ['custom login', WEB_CUSTOM],
  ['known only by LOGINTYPE', WEB_LOGINTYPE_ONLY],
])('a CloudBase web user (%s)', (_, headers) => {
  it.each(cells)('%s.%s: refused, and nothing is written', async (fn, name) => {
    const before = await writes();
    const res = await call(fn, { name }, headers);
    expect(res.text).toMatch(/may not be called by a CloudBase web user/);
    expect(await writes()).toBe(before);
  });

  it('sending a timer event or an HTTP-access request stays a web user: nothing runs, no token', async () => {
    const jobs = emulator.context.wechat.jobs.size;
    const before = await writes();
    expect((await call('backdb', TIMER_EVENT, headers)).body.errMsg).toMatch(/UNKNOWN_ACTION/);
    const http = await call('wechat', integrated(HTTP_ROUTES_BY_NAME.usersCount), headers);
    expect(http.body.result).toMatchObject({ code: 404 });
    expect(http.text).not.toMatch(/statusCode|total_users|"token"/);
    expect(emulator.context.wechat.jobs.size).toBe(jobs);
    expect(await writes()).toBe(before);
  });
});

describe('HTTP access with the gateway keys (TCB_SOURCE_IP in TCB_CONTEXT_KEYS)', () => {
  it.each(Object.entries(MATRIX.wechat!))('wechat %s over its seed-004 path is served as HTTP access', async (name) => {
    const res = await emulator.post<{ code: number; msg: string }>(HTTP_ROUTES_BY_NAME[name] as string, {});
    expect(REFUSED.test(res.body.msg)).toBe(false);
    expect(res.body.code).toBe(res.status);
  });

  it('reaches no other function: only wechat declares an HTTP access path', async () => {
    const fns = (await (await fetch(`${emulator.url}/_emulator/functions`)).json()) as Array<{ name: string; config: { httpPaths: string[] } }>;
    expect(Object.fromEntries(fns.filter((f) => f.name in MATRIX).map((f) => [f.name, f.config.httpPaths]))).toEqual({ backdb: [], common: [], user: [], wechat: ['/pb/api'] });
  });
});

describe('HTTP access without the gateway keys (only the integrated-request event, no identity)', () => {
  it.each(Object.keys(MATRIX.wechat!))('wechat %s is answered as HTTP access, as over the gateway', async (name) => {
    const res = await call('wechat', integrated(HTTP_ROUTES_BY_NAME[name] as string));
    const result = res.body.result as { statusCode: number; body: string };
    expect(typeof result.statusCode).toBe('number');
    expect(REFUSED.test(result.body)).toBe(false);
    expect(JSON.parse(result.body).code).toBe(result.statusCode);
  });

  it('users-count answers 200 with the count and a bad login answers 400, exactly as over the gateway', async () => {
    const count = (await call('wechat', integrated(HTTP_ROUTES_BY_NAME.usersCount as string))).body.result as { statusCode: number; body: string };
    expect(count.statusCode).toBe(200);
    expect(JSON.parse(count.body).data).toEqual({ total_users: expect.any(Number) });
    const login = (await call('wechat', integrated(HTTP_ROUTES_BY_NAME.login as string, { users_wx_code: 'forged' }))).body.result as { statusCode: number };
    expect(login.statusCode).toBe(400);
  });

  it.each(cells.filter(([fn]) => fn !== 'wechat'))('%s.%s: an integrated request that also names it is refused', async (fn, name) => {
    const before = await writes();
    const res = await call(fn, { ...integrated('/pb/api/anything'), name });
    expect(res.text).toMatch(/may not be called by an HTTP access request/);
    expect(await writes()).toBe(before);
  });
});

describe('the timer', () => {
  const fire = (source?: string) => emulator.post<{ ok: boolean; result?: { jobs: unknown[] } }>('/_emulator/functions/backdb/triggers/weeklyBackup/fire', source === undefined ? {} : { source });

  it('with SOURCE wx_trigger runs backdb.createAllJob (seed 000: weekly backup)', async () => {
    const res = await fire();
    expect(res.body).toMatchObject({ ok: true, result: { jobs: expect.any(Array), failed: [] } });
    expect(res.body.result?.jobs.length).toBeGreaterThan(0);
  });

  it('with no SOURCE at all runs backdb.createAllJob too: the documented event is what counts', async () => {
    const res = await fire('');
    expect(res.body).toMatchObject({ ok: true, result: { jobs: expect.any(Array), failed: [] } });
    expect(res.body.result?.jobs.length).toBeGreaterThan(0);
    const line = (await (await fetch(`${emulator.url}/_emulator/logs`)).json()) as Array<{ function: string; caller: string }>;
    expect(line.filter((l) => l.function === 'backdb').at(-1)?.caller).toBe('(no source)');
  });

  it('sent by a server caller (SOURCE tcb_cli) runs createAllJob whatever name the event carries', async () => {
    const res = await call('backdb', { ...TIMER_EVENT, name: 'restoreJob' });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ jobs: expect.any(Array), failed: [] });
  });

  it('"Type": "timer" in lower case counts too (the serverless framework\'s Tencent timer page writes it so)', async () => {
    const res = await call('backdb', { ...TIMER_EVENT, Type: 'timer' });
    expect(res.body.result).toMatchObject({ jobs: expect.any(Array), failed: [] });
  });

  it('with no SOURCE but TCB_SOURCE_IP in the context still runs createAllJob: the gateway always sends the integrated request', async () => {
    // A context only the platform could make (whether it lists TCB_SOURCE_IP for timer runs is not documented).
    const outcome = await emulator.context.runner.invoke('backdb', TIMER_EVENT, { source: '', gatewaySourceIp: '10.0.0.1' });
    expect(outcome).toMatchObject({ ok: true, result: { jobs: expect.any(Array), failed: [] } });
  });

  it('naming a trigger backdb does not have is an ordinary event (no name: UNKNOWN_ACTION)', async () => {
    const jobs = emulator.context.wechat.jobs.size;
    expect((await call('backdb', { ...TIMER_EVENT, TriggerName: 'noSuchTrigger' })).body.errMsg).toMatch(/UNKNOWN_ACTION/);
    expect(emulator.context.wechat.jobs.size).toBe(jobs);
  });

  it.each(['common', 'user', 'wechat'])('%s has no trigger: firing answers 404 and its timer-shaped events run nothing', async (fn) => {
    expect((await emulator.post(`/_emulator/functions/${fn}/triggers/weeklyBackup/fire`, {})).status).toBe(404);
    const before = await writes();
    const res = await call(fn, TIMER_EVENT);
    expect(res.text).toMatch(/UNKNOWN_ACTION|unknown name/);
    expect(await writes()).toBe(before);
  });
});

describe('the server side (no end user of any kind)', () => {
  it.each(cells)('%s.%s: admitted only where the handler admits the server side', async (fn, name, cell) => {
    const res = await call(fn, { name });
    expect(REFUSED.test(res.text)).toBe(!cell.allow.includes('server'));
  });
});

describe('what the emulator injects for a web user is what node-sdk reads', () => {
  it('auth().getUserInfo() and getAuthContext() see the simulated CloudBase user (dist/auth/index.js)', async () => {
    const anon = await call('probe', { name: 'cloudbaseUser' }, WEB_ANONYMOUS);
    expect(anon.body.result).toMatchObject({ userInfo: { openId: '', uid: 'uid_anon_1', customUserId: '', isAnonymous: true } });
    const custom = await call('probe', { name: 'cloudbaseUser' }, { ...WEB_CUSTOM, 'x-tcb-logintype': 'CUSTOM' });
    expect(custom.body.result).toMatchObject({ userInfo: { uid: 'uid_custom_1', customUserId: 'shop-42', isAnonymous: false }, authContext: { uid: 'uid_custom_1', loginType: 'CUSTOM' } });
  });

  it('a server caller has neither openId nor uid (what node-sdk calls "admin", dist/storage/index.js)', async () => {
    const server = await call('probe', { name: 'cloudbaseUser' });
    expect(server.body.result).toMatchObject({ userInfo: { openId: '', uid: '', customUserId: '', isAnonymous: false } });
  });
});
