// Reliability under bad input: property-based fuzzing (fast-check) of every handler of the four
// functions through callFunction (end users, a server, a client context without an openid) and of
// the wechat function's four HTTP routes (random bodies, content types and Authorization headers).
// Every answer is one of the function's documented error shapes, nothing crashes or times out,
// and a refused call writes nothing.
//
// "Writes nothing" is the store's write counter (what GET /_emulator/stats reports) minus writes
// to the two caches: wechat login and refresh-token count rate-limit hits (rate_limits) before
// they can refuse anything, and any WeChat call may refresh the cached access token
// (wechat_tokens). Rate limits are raised so that fuzzing is not one long 429.
import fc from 'fast-check';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { contractProblems, ROUTES, type WechatBody } from '../support/wechat-api';
import { Tally, dataWrites, invocationOf, rawPost } from './support';

const HUGE = '1000000000';
const ME = 'o_bad_me';
const ADMIN = 'o_bad_admin';
const tally = new Tally();
const HIST = new Map<string, number>();
let emulator: TestEmulator;
let writes: () => number;
let me: { _id: string; id: number };
let myToken: string;
let jobId: number;

beforeAll(async () => {
  emulator = await startTestEmulator({ functionEnv: { RATE_LIMIT_PER_IP: HUGE, RATE_LIMIT_PER_CALLER: HUGE } });
  writes = dataWrites(emulator.context.store);
  myToken = (await emulator.post<{ token: string }>(ROUTES.login, { users_wx_code: await emulator.loginCode(ME) })).body.token;
  me = (await emulator.context.store.find('users', { openid: ME }))[0] as unknown as { _id: string; id: number };
  await emulator.callFunction('common', { name: 'login' }, ADMIN);
  await emulator.context.store.update('users', { openid: ADMIN }, { $set: { roles: ['admin'] } }, false);
  await emulator.context.store.insert('permissions', [{ _id: 'backdb', roles: ['admin'] }]);
  jobId = ((await emulator.callFunction<{ job_id: number }>('backdb', { name: 'createJob', data: { collection: 'users' } })).body.result as { job_id: number }).job_id;
});

afterAll(async () => {
  const lost = tally.print();
  console.log([...HIST].sort().map(([k, v]) => `${k}: ${v}`).join('\n'));
  console.log(`[reliability] bad input: ${tally.tried()} cases in all`);
  await emulator?.close();
  expect(lost).toBe(0);
  expect(tally.tried()).toBeGreaterThanOrEqual(10_000);
});

// ---- callers and values -------------------------------------------------------------------
/** 'server' (tcb CLI), 'anonymous' (a client context without OPENID), or an end user's openid. */
const caller = fc.constantFrom('server', 'anonymous', ME, ADMIN, '<fresh>');
let fresh = 0;
const headersOf = (who: string): Record<string, string> => (who === 'server' ? {} : who === 'anonymous' ? { 'x-tcb-source': 'wx_client' } : { 'x-wx-openid': who });

const junk = fc.anything({ maxDepth: 2, maxKeys: 3 });
/** Mostly a plausible value, sometimes anything at all. */
const or = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: arb, weight: 4 }, { arbitrary: junk, weight: 1 });
const str = (max: number) => fc.string({ maxLength: max });
const phone = fc.stringMatching(/^1[3-9]\d{9}$/);
const url = fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'ftp://x.example/a', 'http://', ''));

// Placeholders resolved per case: <self> the caller, <my-*> ME's ids, minted WeChat codes, a real export job.
const FIELDS: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
  common: { uid: or(fc.oneof(fc.constantFrom('<my-uid>', '<my-id>'), str(20), fc.integer())), nickname: or(str(40)), avatarUrl: or(url) },
  user: {
    openid: or(fc.oneof(fc.constantFrom('<self>', ME, ADMIN, 'o_nobody', ' <self> ', ''), str(20))),
    user_id: or(fc.oneof(fc.constantFrom('<my-id>'), fc.integer({ min: -3, max: 1_000_000 }), str(6))),
    phone: or(fc.oneof(phone, str(12))), qq: or(str(70)), cardno: or(str(34)), wxid: or(str(70)),
    nick_name: or(str(40)), avatar: or(url), gender: or(fc.constantFrom(0, 1, '0', '1', 2, 'male')),
    update: fc.oneof(fc.dictionary(fc.constantFrom('phone', 'qq', 'nick_name', 'gender', 'openid', 'roles', 'id'), junk, { maxKeys: 3 }), fc.json({ maxDepth: 2 }), str(20), junk),
    hist: or(fc.oneof(str(110), fc.constantFrom('x'.repeat(101), '搜'.repeat(100), '  '))),
    js_code: or(fc.oneof(fc.constant('<login-code>'), str(40))),
  },
  wechat: {
    users_wx_code: or(fc.oneof(fc.constant('<login-code>'), str(300))),
    users_name: or(str(40)),
    users_phone_code: or(fc.oneof(fc.constant('<phone-code>'), str(40))),
    users_picture: or(url),
  },
  backdb: {
    access_token: or(fc.oneof(str(20), fc.constant('x'.repeat(513)))),
    collection: or(fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,12}$/), fc.constantFrom('users', 'no_such', '../etc', ''))),
    job_id: or(fc.oneof(fc.constantFrom('<job>', '0', '-1'), fc.integer({ min: -5, max: 1e9 }), str(8))),
    limit: or(fc.integer({ min: -5, max: 150 })),
    mode: or(fc.constantFrom('insert', 'upsert', 'merge')),
  },
};
const payload = (fn: string) => fc.record(FIELDS[fn] as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] });
const placement = fc.constantFrom('top', 'data', 'both');
const extra = fc.option(fc.dictionary(str(8), junk, { maxKeys: 2 }), { nil: undefined });

let phones = 0;
async function resolve(value: unknown, who: string): Promise<unknown> {
  const self = who.startsWith('o_') ? who : ME;
  if (value === '<self>') return self;
  if (value === ' <self> ') return ` ${self} `;
  if (value === '<my-uid>') return me._id;
  if (value === '<my-id>') return me.id;
  if (value === '<job>') return jobId;
  if (value === '<login-code>') return emulator.loginCode(self);
  if (value === '<phone-code>') return emulator.phoneCode(`139${String(++phones).padStart(8, '0')}`);
  return value;
}

async function eventOf(name: unknown, fields: Record<string, unknown>, where: string, more: Record<string, unknown> | undefined, who: string) {
  const resolved: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) resolved[k] = await resolve(v, who);
  const event = where === 'top' ? { ...more, ...resolved } : where === 'data' ? { ...more, data: resolved } : { ...more, ...resolved, data: { ...resolved } };
  return JSON.parse(JSON.stringify({ ...event, name })) as Record<string, unknown>;
}

// ---- the oracles --------------------------------------------------------------------------
const REJECT_CODES = /-504002 functions execute fail\. (INVALID_PARAMS|UNKNOWN_ACTION|FORBIDDEN|UNAUTHORIZED|NOT_FOUND|JOB_NOT_READY): /;
const USER_CODES: Record<string, number[]> = { login: [0, -1, -2], getOpenid: [0, -1, -2], loginByOpenid: [0, -1, -2], get: [0, -1, -2, -3, -4], update: [0, -1, -2, -3, -4], logout: [0, -1, -2], addHistory: [0, -1, -2], getHistory: [0, -1, -2], cleanHistory: [0, -1, -2] };
const WECHAT_STATUSES = [200, 400, 401, 404, 415, 429];
const WECHAT_ROUTE: Record<string, string> = { login: ROUTES.login, profile: ROUTES.profile, refreshToken: ROUTES.refreshToken, usersCount: ROUTES.usersCount };

/** Calls `fn` with `event` as `who` and returns what is wrong with the answer ([] when nothing). */
async function check(fn: string, event: Record<string, unknown>, who: string): Promise<string[]> {
  const known = typeof event.name === 'string' && (NAMES[fn] as string[]).includes(event.name);
  const category = `bad input: ${fn}.${known ? String(event.name) : '(unknown or malformed name)'}`;
  const before = writes();
  let res: Awaited<ReturnType<TestEmulator['post']>>;
  try {
    res = await emulator.post(`/functions/${fn}`, event, headersOf(who));
  } catch (err) {
    tally.count(category, { passed: false, lost: 1 });
    return [`no answer: ${String(err)}`];
  }
  const body = res.body as { result?: { code?: number }; errMsg?: string; requestID?: string };
  const outcome = invocationOf(emulator, body.requestID)?.outcome;
  const problems: string[] = [];
  if (outcome === 'crash' || outcome === 'timeout' || res.status === 504) problems.push(`the invocation ended in ${outcome ?? res.status}`);
  let refused: boolean;
  if (fn === 'common' || fn === 'backdb') {
    refused = res.status !== 200;
    // A server's own access_token is sent to WeChat as given, and WeChat refusing it is UPSTREAM (see the report).
    const data = event.data && typeof event.data === 'object' && !Array.isArray(event.data) ? (event.data as Record<string, unknown>) : {};
    const upstreamAllowed = fn === 'backdb' && who === 'server' && typeof ({ ...event, ...data }).access_token === 'string';
    if (refused && !(REJECT_CODES.test(body.errMsg ?? '') || (upstreamAllowed && / UPSTREAM: WeChat /.test(body.errMsg ?? '')))) problems.push(`HTTP ${res.status} ${body.errMsg}`);
  } else if (fn === 'user') {
    const code = body.result?.code;
    refused = code !== 0;
    if (res.status !== 200 || !(known ? (USER_CODES[String(event.name)] as number[]) : [-1]).includes(code as number)) problems.push(`HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  } else {
    const code = body.result?.code as number;
    refused = code !== 200;
    if (res.status !== 200 || !WECHAT_STATUSES.includes(code)) problems.push(`HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    // The seed describes HTTP: a status it lists for no HTTP request (401 to a client context
    // without an openid on usersCount) is checked for the error body's shape only.
    const route = known ? WECHAT_ROUTE[String(event.name)] : undefined;
    const shape = (b: unknown) => (typeof (b as WechatBody)?.msg === 'string' && typeof (b as WechatBody)?.data === 'object' ? [] : [`not an envelope: ${JSON.stringify(b)}`]);
    if (route) problems.push(...contractProblems(route, code, body.result).flatMap((p) => (p.includes('lists no') ? shape(body.result) : [p])));
    else problems.push(...shape(body.result));
  }
  const wrote = writes() - before;
  const key = `${category} ${fn === 'common' || fn === 'backdb' ? (res.status === 200 ? 'ok' : (/(\w+): /.exec((body.errMsg ?? '').replace(/^.*fail\. /, ''))?.[1] ?? '?')) : body.result?.code}`;
  HIST.set(key, (HIST.get(key) ?? 0) + 1);
  // getJobUrl records the status of an existing job even when it is not ready (README: listJobs shows it).
  if (refused && wrote !== 0 && !(event.name === 'getJobUrl' && /JOB_NOT_READY/.test(body.errMsg ?? ''))) problems.push(`a refused call wrote ${wrote} time(s)`);
  tally.count(category, { passed: problems.length === 0, lost: outcome === 'crash' || outcome === 'timeout' ? 1 : 0 });
  return problems;
}

const run = (numRuns: number) => ({ numRuns, endOnFailure: true });
const NAMES: Record<string, string[]> = {
  common: ['login', 'auth', 'setUserInfo'],
  user: Object.keys(USER_CODES),
  wechat: ['login', 'profile', 'refreshToken', 'usersCount'],
  backdb: ['createAllJob', 'createJob', 'getJobUrl', 'listJobs', 'restoreJob'],
};
const RUNS: Record<string, number> = { common: 500, user: 360, wechat: 340, backdb: 280 };

describe.each(Object.keys(NAMES))('the %s function under random events', (fn) => {
  it.each(NAMES[fn] as string[])(`answers every random %s call with a documented code and writes nothing when refusing`, async (name) => {
    // A backup of everything takes a while: a caller allowed to start one mostly sends a (bad) access_token.
    const runs = name === 'createAllJob' ? 150 : (RUNS[fn] as number);
    await fc.assert(
      fc.asyncProperty(caller, payload(fn), placement, extra, async (who, fields, where, more) => {
        const actual = who === '<fresh>' ? `o_bad_fresh_${++fresh}` : who;
        const event = await eventOf(name, fields, where, more, actual);
        expect(await check(fn, event, actual)).toEqual([]);
      }),
      run(runs),
    );
  }, 180_000);

  it('answers unknown names and malformed events with UNKNOWN_ACTION or INVALID_PARAMS, writing nothing', async () => {
    const name = fc.oneof(str(12), fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', ' login', 'LOGIN', undefined), junk);
    await fc.assert(
      fc.asyncProperty(caller, name, fc.dictionary(str(10), junk, { maxKeys: 4 }), async (who, n, more) => {
        const actual = who === '<fresh>' ? `o_bad_fresh_${++fresh}` : who;
        if (typeof n === 'string' && (NAMES[fn] as string[]).includes(n)) return;
        expect(await check(fn, JSON.parse(JSON.stringify({ ...more, name: n })) as Record<string, unknown>, actual)).toEqual([]);
      }),
      run(150),
    );
  }, 180_000);
});

// ---- the HTTP routes --------------------------------------------------------------------------
const printable = fc.string({ maxLength: 60 });
const authorization = fc.oneof(
  fc.constantFrom(undefined, 'Bearer <token>', '<token>', 'bearer <token>', 'Bearer <token>x', 'Bearer', 'Bearer  ', 'Basic dXNlcjpwYXNz'),
  printable.map((s) => `Bearer ${s}`),
  printable,
);
const contentType = fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.api+json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/jsonx', '');
const httpBody = fc.oneof(
  { weight: 4, arbitrary: payload('wechat').map((p) => ({ fields: p })) },
  fc.json({ maxDepth: 2 }).map((text) => ({ text })),
  fc.string({ maxLength: 80 }).map((text) => ({ text })),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => ({ bytes })),
  fc.constant({ text: '' }),
);

describe.each(Object.entries(ROUTES))('POST %s under random requests', (_op, route) => {
  it('answers with a documented status equal to body.code, never 500, and writes nothing when refusing', async () => {
    await fc.assert(
      fc.asyncProperty(httpBody, contentType, authorization, async (body, type, auth) => {
        let bytes: Uint8Array;
        if ('fields' in body) bytes = Buffer.from(JSON.stringify(Object.fromEntries(await Promise.all(Object.entries(body.fields).map(async ([k, v]) => [k, await resolve(v, ME)])))));
        else bytes = 'bytes' in body ? body.bytes : Buffer.from(body.text);
        const headers: Record<string, string> = {};
        if (type !== undefined) headers['content-type'] = type;
        if (auth !== undefined) headers.authorization = auth.replace('<token>', myToken);
        const before = writes();
        const category = `bad input: POST ${route}`;
        let res;
        try {
          res = await rawPost(`${emulator.url}${route}`, bytes, headers);
        } catch (err) {
          tally.count(category, { passed: false, lost: 1 });
          throw err;
        }
        const json = res.json as { code?: number } | undefined;
        const problems: string[] = [];
        if (!WECHAT_STATUSES.includes(res.status) || json?.code !== res.status) problems.push(`HTTP ${res.status} ${res.text.slice(0, 300)}`);
        else problems.push(...contractProblems(route, res.status, json).filter((p) => !(res.status === 415 && route === ROUTES.usersCount && p.includes('lists no 415'))));
        if (res.status !== 200 && writes() !== before) problems.push(`a refused request wrote ${writes() - before} time(s)`);
        tally.count(category, { passed: problems.length === 0, lost: res.status === 502 ? 1 : 0 });
        HIST.set(`${category} ${res.status}`, (HIST.get(`${category} ${res.status}`) ?? 0) + 1);
        expect(problems).toEqual([]);
      }),
      run(700),
    );
  }, 180_000);
});

// KNOWN BUG (reported): seed 004 and the function's own /pb/api/openapi.json list 200/400/500 for
// users-count, but a non-JSON body is answered 415 (http-routes.ts checks the content type before
// the route's schema). The fuzz above tolerates it so it can go on; this test states the contract.
it('KNOWN BUG: POST /pb/api/system/users-count answers a text/plain body with a status the contract lists', async () => {
  const res = await rawPost(`${emulator.url}${ROUTES.usersCount}`, Buffer.from('hello'), { 'content-type': 'text/plain' });
  expect(contractProblems(ROUTES.usersCount, res.status, res.json)).toEqual([]);
});
