// What the bad-input files of this folder share: one emulator per file, with rate limits raised
// so that fuzzing is not one long 429, and the store snapshot each case starts from; the callers
// and the field arbitraries; the oracle for a function call. The files together check the 12,270
// cases that one file (bad-input.test.ts) used to, which kept one jest worker busy for a minute.
import fc from 'fast-check';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { contractProblems, ROUTES, type WechatBody } from '../../support/wechat-api';
import { snapshotStore } from '../../support/store-snapshot';
import { Tally, dataWrites, invocationOf } from '../support';
import { grantBackdb } from '../../support/backdb-permission';
import { keepAliveClient } from '../../support/keep-alive-post';
import { JOBS_SETTLED } from '../../../emulator/wechat/ports';

const HUGE = '1000000000';
export const ME = 'o_bad_me';
export const ADMIN = 'o_bad_admin';
export const tally = new Tally();
export let emulator: TestEmulator;
export let writes: () => number;
let me: { _id: string; id: number };
export let myToken: string;
let jobId: number;
let restoreStore: () => Promise<void>;
let jobsSettled: () => Promise<void>;
/** Thousands of requests: one kept-alive connection rather than fetch's per-request cost. */
export const http = keepAliveClient();
/** Every case starts from the state beforeAll left. */
export const freshState = async (previous: () => unknown) => {
  await previous();
  // A restoreJob or export of the last case may still be writing in the background: let it finish
  // before the store is put back, so its writes are never counted against this case. (What
  // POST /_emulator/wechat/jobs/settle awaits, called in process: the round trip cost more than a
  // quarter of a millisecond of this process's CPU, in every case.)
  await jobsSettled();
  await restoreStore();
};
/**
 * expect(problems).toEqual([]) (with `shown` before the problems, to say which case), made only
 * when it fails: jest's expect() builds its matchers afresh at each call, about 45 µs, in every case.
 */
export const expectNoProblems = (problems: string[], shown: unknown[] = []) => {
  if (problems.length === 0) return;
  if (shown.length === 0) expect(problems).toEqual([]);
  else expect([...shown, problems]).toEqual([...shown, []]);
};

/** Starts this file's emulator before its tests and checks its tally after them. */
export function useBadInputEmulator(): void {
    beforeAll(async () => {
    emulator = await startTestEmulator({ functionEnv: { RATE_LIMIT_PER_IP: HUGE, RATE_LIMIT_PER_CALLER: HUGE } });
    writes = dataWrites(emulator.context.store);
    myToken = (await emulator.post<{ token: string }>(ROUTES.login, { users_wx_code: await emulator.loginCode(ME) })).body.token;
    me = (await emulator.context.store.find('users', { openid: ME }))[0] as unknown as { _id: string; id: number };
    await emulator.callFunction('common', { name: 'login' }, ADMIN);
    await grantBackdb(emulator.context.store, ADMIN);
    jobId = ((await emulator.callFunction<{ job_id: number }>('backdb', { name: 'createJob', data: { collection: 'users' } })).body.result as { job_id: number }).job_id;
    restoreStore = await snapshotStore(emulator.context.store);
    jobsSettled = emulator.context.ports.need(JOBS_SETTLED);
  });

  afterAll(async () => {
    tally.note(`[reliability] bad input: ${tally.tried()} cases in all`);
    const lost = tally.save();
    http.close();
    await emulator?.close();
    expect({ lost, failures: tally.failures() }).toEqual({ lost: 0, failures: [] });
  });
}

// ---- callers and values -------------------------------------------------------------------
/** 'server' (tcb CLI), 'anonymous' (a client context without OPENID), or an end user's openid. */
export const caller = fc.constantFrom('server', 'anonymous', ME, ME, ME, ADMIN, '<fresh>');
let fresh = 0;
/** A new openid for the '<fresh>' caller, or the caller as drawn. */
export const callerOpenid = (who: string): string => (who === '<fresh>' ? `o_bad_fresh_${++fresh}` : who);
const headersOf = (who: string): Record<string, string> => (who === 'server' ? {} : who === 'anonymous' ? { 'x-tcb-source': 'wx_client' } : { 'x-wx-openid': who });

export const junk = fc.anything({ maxDepth: 2, maxKeys: 3 });
/** Mostly a valid value, often an invalid one, now and then anything at all. */
const field = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: invalid, weight: 2 }, { arbitrary: junk, weight: 1 });
export const str = (max: number) => fc.string({ maxLength: max });
const text = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((t) => t.trim() !== '');
const url = field(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'ftp://x.example/a', 'http://', '', 'x'.repeat(1100)));
const name32 = field(text(32), fc.constantFrom('', '   ', 'n'.repeat(33)));

// Placeholders resolved per case: <self>/<self-id> the caller (ME for a server), <me-*> ME's ids,
// <login-code> a wx.login code minted for the caller, <phone-code> a fresh number's code, <job> a real export.
export const FIELDS: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
  common: { uid: field(fc.constantFrom('<me-uid>', '<me-id>', '<self-id>'), fc.oneof(str(20), fc.integer())), nickname: name32, avatarUrl: url },
  user: {
    openid: field(fc.constant('<self>'), fc.oneof(fc.constantFrom(ME, ADMIN, 'o_nobody', ' <self> ', '', 'bad openid'), str(20))),
    user_id: field(fc.constant('<self-id>'), fc.oneof(fc.constantFrom('<me-id>', 0, -1, '1e3'), fc.integer({ max: 1_000_000 }), str(6))),
    phone: field(fc.stringMatching(/^1[3-9]\d{9}$/), fc.oneof(str(12), fc.constantFrom('', '12', 'call me'))),
    qq: field(fc.stringMatching(/^[1-9]\d{4,10}$/), fc.constantFrom('', ' ', 'q'.repeat(65))),
    cardno: field(fc.stringMatching(/^[A-Za-z0-9-]{1,32}$/), fc.oneof(str(34), fc.constantFrom('has space', 'c'.repeat(33)))),
    wxid: field(text(64), fc.constantFrom('', 'w'.repeat(65))),
    nick_name: name32,
    avatar: url,
    gender: field(fc.constantFrom(0, 1, '0', '1'), fc.constantFrom(2, -1, 'male', null, true)),
    update: fc.oneof(
      fc.dictionary(fc.constantFrom('phone', 'qq', 'nick_name', 'gender', 'avatar'), fc.oneof(fc.stringMatching(/^1[3-9]\d{9}$/), text(10), fc.constantFrom(0, 1)), { minKeys: 1, maxKeys: 3 }).chain((o) => fc.constantFrom(o, JSON.stringify(o))),
      fc.dictionary(fc.constantFrom('openid', 'roles', 'id', '_id', 'history', 'tokenVersion'), junk, { minKeys: 1, maxKeys: 2 }),
      fc.json({ maxDepth: 2 }), str(20), junk,
    ),
    hist: field(text(100), fc.constantFrom('x'.repeat(101), '搜'.repeat(101), '  ', '')),
    js_code: field(fc.constant('<login-code>'), str(40)),
  },
  wechat: {
    users_wx_code: field(fc.constant('<login-code>'), fc.oneof(str(300), fc.constantFrom('', '  ', 'wxcode_never_issued'))),
    users_name: name32,
    users_phone_code: field(fc.constant('<phone-code>'), fc.oneof(str(40), fc.constantFrom('', 'phonecode_never_issued'))),
    users_picture: url,
  },
  backdb: {
    access_token: field(str(20), fc.constantFrom('', 'x'.repeat(513))),
    collection: field(fc.constantFrom('users', 'counters', 'permissions', 'no_such', 'fz_1'), fc.oneof(str(12), fc.constantFrom('../etc', '', '1abc', 'a'.repeat(129)))),
    job_id: field(fc.constantFrom('<job>', 999_999), fc.oneof(fc.constantFrom('0', '-1', 1.5), fc.integer({ min: -5, max: 1e9 }), str(8))),
    limit: field(fc.integer({ min: 1, max: 100 }), fc.integer({ min: -5, max: 150 })),
    mode: field(fc.constantFrom('insert', 'upsert'), fc.constantFrom('merge', '', 'INSERT')),
  },
};
export const payload = (fn: string) => fc.record(FIELDS[fn] as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] });
export const placement = fc.constantFrom('top', 'data', 'both');
export const extra = fc.option(fc.dictionary(str(8), junk, { maxKeys: 2 }), { nil: undefined });

let phones = 0;
export async function resolve(value: unknown, who: string): Promise<unknown> {
  const self = who.startsWith('o_') ? who : ME;
  if (value === '<self>' || value === ' <self> ') return value.replace('<self>', self);
  if (value === '<self-id>') return ((await emulator.context.store.find('users', { openid: self }))[0]?.id as number | undefined) ?? 424242;
  if (value === '<me-uid>' || value === '<me-id>' || value === '<job>') return { '<me-uid>': me._id, '<me-id>': me.id, '<job>': jobId }[value];
  // Minted in process, as the control API's login-code and phone-code routes mint them: about 5,300
  // cases ask for a code, and each round trip to those routes cost this process about 125 µs of CPU.
  if (value === '<login-code>') return emulator.context.wechat.mintLoginCode(self, undefined, Date.now());
  if (value === '<phone-code>') return emulator.context.wechat.mintPhoneCode(`139${String(++phones).padStart(8, '0')}`, Date.now());
  return value;
}

export async function eventOf(name: unknown, fields: Record<string, unknown>, where: string, more: Record<string, unknown> | undefined, who: string) {
  const resolved: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) resolved[k] = await resolve(v, who);
  const event = where === 'top' ? { ...more, ...resolved } : where === 'data' ? { ...more, data: resolved } : { ...more, ...resolved, data: { ...resolved } };
  return JSON.parse(JSON.stringify({ ...event, name })) as Record<string, unknown>;
}

// ---- the oracles --------------------------------------------------------------------------
const REJECT_CODES = /-504002 functions execute fail\. (INVALID_PARAMS|UNKNOWN_ACTION|FORBIDDEN|UNAUTHORIZED|NOT_FOUND|JOB_NOT_READY): /;
const USER_CODES: Record<string, number[]> = { login: [0, -1, -2], getOpenid: [0, -1, -2], loginByOpenid: [0, -1, -2], get: [0, -1, -2, -3, -4], update: [0, -1, -2, -3, -4], logout: [0, -1, -2], addHistory: [0, -1, -2], getHistory: [0, -1, -2], cleanHistory: [0, -1, -2] };
export const WECHAT_STATUSES = [200, 400, 401, 404, 415, 429];
const WECHAT_ROUTE: Record<string, string> = ROUTES;

/** Calls `fn` with `event` as `who` and returns what is wrong with the answer ([] when nothing). */
export async function check(fn: string, event: Record<string, unknown>, who: string): Promise<string[]> {
  const known = typeof event.name === 'string' && (NAMES[fn] as string[]).includes(event.name);
  const category = `bad input: ${fn}.${known ? String(event.name) : '(unknown or malformed name)'}`;
  const before = writes();
  const res = await http.post(`${emulator.url}/functions/${fn}`, JSON.stringify(event), { 'content-type': 'application/json', ...headersOf(who) }).catch(() => undefined);
  if (!res) {
    tally.count(category, { passed: false, lost: 1 });
    return ['no answer'];
  }
  const body = (res.json ?? res.text) as { result?: { code?: number }; errMsg?: string; requestID?: string };
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
  // getJobUrl records the status of an existing job even when it is not ready (README: listJobs shows it).
  if (refused && wrote !== 0 && !(event.name === 'getJobUrl' && /JOB_NOT_READY/.test(body.errMsg ?? ''))) problems.push(`a refused call wrote ${wrote} time(s)`);
  tally.count(category, { passed: problems.length === 0, lost: outcome === 'crash' || outcome === 'timeout' ? 1 : 0 });
  return problems;
}

export const NAMES: Record<string, string[]> = {
  common: ['login', 'auth', 'setUserInfo'],
  user: Object.keys(USER_CODES),
  wechat: ['login', 'profile', 'refreshToken', 'usersCount'],
  backdb: ['createAllJob', 'createJob', 'getJobUrl', 'listJobs', 'restoreJob'],
};
export const RUNS: Record<string, number> = { common: 500, user: 360, wechat: 340, backdb: 280 };

