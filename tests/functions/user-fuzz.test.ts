// Property-based: random payloads for every user handler (real field names with random values,
// unknown names, fields at the top level or under data, as an end user and as a server). Every
// answer is HTTP 200 with one of the handler's documented codes; a rejected call writes nothing;
// an end user never touches or sees anyone else. Runs replay (tests/support/fuzz.ts: a logged
// seed, fixed in CI; shrinking on) and every case starts from the users beforeAll registered.
import fc from 'fast-check';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { fuzz } from '../support/fuzz';
import { snapshotStore } from '../support/store-snapshot';
import { TIME_FORMAT, userApi, type Envelope } from '../support/user-api';

let emulator: TestEmulator;
let api: ReturnType<typeof userApi>;
let meId: number;
let victimId: number;
let restoreStore: () => Promise<void>;
const freshState = async (previous: () => unknown) => {
  await previous();
  await restoreStore();
};
const ME = 'o_fz_me';
const STRANGER = 'o_fz_stranger';
const VICTIM = 'o_fz_victim';
const VICTIM_PHONE = '13500000001';

beforeAll(async () => {
  emulator = await startTestEmulator();
  api = userApi(emulator);
  meId = (await api.register(ME, { phone: '13500000000' })).id;
  victimId = (await api.register(VICTIM, { phone: VICTIM_PHONE })).id;
  await api.call('addHistory', { hist: 'victim search' }, VICTIM);
  restoreStore = await snapshotStore(emulator.context.store);
});
afterAll(() => emulator.close());

const CODES: Record<string, number[]> = {
  login: [0, -1, -2],
  getOpenid: [0, -1, -2],
  loginByOpenid: [0, -1, -2],
  get: [0, -1, -2, -3, -4],
  update: [0, -1, -2, -3, -4],
  logout: [0, -1, -2],
  addHistory: [0, -1, -2],
  getHistory: [0, -1, -2],
  cleanHistory: [0, -1, -2],
};
const NAMES = Object.keys(CODES);
const READ_ONLY = new Set(['getOpenid', 'loginByOpenid', 'get', 'getHistory']);
const TARGETS_A_USER = new Set(NAMES.filter((n) => n !== 'getOpenid'));
const PROFILE_FIELDS = ['phone', 'qq', 'cardno', 'wxid', 'nick_name', 'avatar', 'gender'];

/** Mostly a plausible value, sometimes anything at all. */
const or = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: arb, weight: 5 }, { arbitrary: fc.anything(), weight: 1 });
/** Absent (`absent` times out of absent + 1) or a value. */
const maybe = <T>(arb: fc.Arbitrary<T>, absent = 1) => fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary: arb, weight: 1 });
/** A profile field: usually valid, sometimes invalid, now and then anything. */
const field = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) => maybe(fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: invalid, weight: 1 }, { arbitrary: fc.anything(), weight: 1 }));
const text = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((t) => t.trim() !== '');
const profile = {
  phone: field(fc.oneof({ arbitrary: fc.stringMatching(/^1[3-9]\d{9}$/), weight: 5 }, fc.constant(VICTIM_PHONE)), fc.constantFrom('', 'call me', '12')),
  qq: field(text(64), fc.constantFrom('', ' ', 'q'.repeat(65))),
  cardno: field(fc.stringMatching(/^[A-Za-z0-9-]{1,32}$/), fc.constantFrom('', 'has space', 'c'.repeat(33))),
  wxid: field(text(64), fc.constantFrom('', 'w'.repeat(65))),
  nick_name: field(text(32), fc.constantFrom('', '  ', 'n'.repeat(33))),
  avatar: field(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'ftp://x.example/a', '')),
  gender: field(fc.constantFrom(0, 1, '0', '1'), fc.constantFrom(2, -1, 'male', null, true)),
};
const forbidden = fc.dictionary(fc.constantFrom('openid', 'id', '_id', 'roles', 'history', 'tokenVersion', 'created_at', 'createdAt', 'status', 'nickname'), fc.anything(), { minKeys: 1, maxKeys: 2 });
const updateObject = fc.tuple(fc.record(profile), maybe(forbidden, 4)).map(([p, f]) => ({ ...p, ...f }));
const update = fc.oneof({ arbitrary: updateObject, weight: 3 }, { arbitrary: updateObject.map((o) => JSON.stringify(o)), weight: 3 }, fc.json(), fc.string(), fc.anything());
/** <self> is the caller (ME for a server), <fresh> an openid never seen before. */
const openid = or(fc.constantFrom('<self>', '<self>', '<fresh>', ' <self> ', ME, STRANGER, VICTIM, '', 'bad openid'));
const payload = fc.record({
  openid: maybe(openid, 2),
  user_id: maybe(fc.oneof(fc.constantFrom('me', 'victim'), fc.integer({ min: -2, max: 1_000_000 }), fc.anything()), 3),
  ...profile,
  update: update,
  hist: or(fc.oneof({ arbitrary: fc.string({ maxLength: 110 }), weight: 4 }, fc.constantFrom('x'.repeat(101), '搜'.repeat(100), 'victim search', '  '))),
  js_code: or(fc.string({ maxLength: 40 })),
});
const junk = maybe(fc.dictionary(fc.string({ maxLength: 12 }), fc.anything(), { maxKeys: 3 }), 2).map((d) => d ?? {});
const placement = fc.constantFrom('top', 'data', 'both');
const name = fc.oneof({ arbitrary: fc.constantFrom(...NAMES), weight: 8 }, { arbitrary: fc.oneof(fc.string(), fc.constantFrom('constructor', '__proto__', 'toString', 'logout ')), weight: 1 });
const endUser = fc.constantFrom(ME, STRANGER, '<fresh>');

let fresh = 0;
const freshOpenid = () => `o_fz_fresh_${++fresh}`;

/** The event as it will arrive (JSON drops undefined), with the placeholders resolved. */
function buildEvent(n: unknown, fields: Record<string, unknown>, extra: Record<string, unknown>, where: string, caller: string | undefined): Record<string, unknown> {
  const resolved = { ...fields };
  if (typeof resolved.openid === 'string') resolved.openid = resolved.openid.replace('<self>', caller ?? ME).replace('<fresh>', freshOpenid());
  if (resolved.user_id === 'me') resolved.user_id = meId;
  if (resolved.user_id === 'victim') resolved.user_id = victimId;
  const event = where === 'top' ? { ...extra, ...resolved } : where === 'data' ? { ...extra, data: resolved } : { ...extra, ...resolved, data: { ...resolved, ...extra } };
  return JSON.parse(JSON.stringify({ ...event, name: n })) as Record<string, unknown>;
}

/** What the router hands the handler: event fields except name/data/userInfo, overridden by data. */
function effectiveInput(event: Record<string, unknown>): Record<string, unknown> {
  const { name: _n, data, userInfo: _u, ...own } = event;
  return data && typeof data === 'object' && !Array.isArray(data) ? { ...own, ...(data as Record<string, unknown>) } : own;
}

function namesSomeoneElse(input: Record<string, unknown>, openid: string, ownId: number | undefined): boolean {
  if ('openid' in input && !(typeof input.openid === 'string' && input.openid.trim() === openid)) return true;
  return 'user_id' in input && Number(input.user_id) !== ownId;
}

async function check(event: Record<string, unknown>, caller: string | undefined): Promise<void> {
  const n = event.name;
  const known = typeof n === 'string' && Object.prototype.hasOwnProperty.call(CODES, n);
  const input = effectiveInput(event);
  const writes = await api.writes();
  const victim = caller ? await api.userDoc(VICTIM) : undefined;
  const ownId = caller && 'user_id' in input ? (await api.usersWith(caller))[0]?.id : undefined;
  const res = await emulator.callFunction<Envelope>('user', event, caller);

  expect(res.status).toBe(200);
  const out = res.body.result as Envelope;
  expect(out).toEqual({ code: expect.any(Number), msg: expect.any(String), data: expect.anything() });
  expect(known ? CODES[n as string] : [-1]).toContain(out.code);
  if (out.code !== 0) expect(out.data).toEqual([]);
  if (out.code !== 0 || !known || READ_ONLY.has(n as string)) expect(await api.writes()).toBe(writes);
  if (!known) return;

  if (n === 'getOpenid') expect(out.code).not.toBe(0); // random strings are never valid wx.login codes
  if (caller) {
    expect(await api.userDoc(VICTIM)).toEqual(victim);
    if (TARGETS_A_USER.has(n as string) && namesSomeoneElse(input, caller, ownId)) expect(out.code).toBe(-1);
    if (out.code === 0 && ['login', 'loginByOpenid', 'get'].includes(n as string)) expect((out.data as { openid: string }).openid).toBe(caller);
  }
  if (out.code === 0) {
    expectValidInput(n as string, input);
    expectValidAnswer(n as string, out.data);
  }
}

/** What a success carries: a user view, a history list, [] or { openid }. */
function expectValidAnswer(n: string, data: unknown): void {
  if (['login', 'loginByOpenid', 'get'].includes(n)) expect(data).toMatchObject({ id: expect.any(Number), openid: expect.any(String), created_at: expect.stringMatching(TIME_FORMAT), mtime: expect.stringMatching(TIME_FORMAT) });
  if (['addHistory', 'getHistory'].includes(n)) {
    expect(Array.isArray(data)).toBe(true);
    const list = data as unknown[];
    expect(list.length).toBeLessThanOrEqual(20);
    expect(new Set(list).size).toBe(list.length);
    for (const h of list) expect([...(h as string)].length).toBeLessThanOrEqual(100);
  }
  if (['update', 'logout', 'cleanHistory'].includes(n)) expect(data).toEqual([]);
}

/** A success is only allowed for an input that is actually valid. */
function expectValidInput(n: string, input: Record<string, unknown>): void {
  if (n === 'addHistory') {
    expect(typeof input.hist).toBe('string');
    expect([...(input.hist as string).trim()].length).toBeGreaterThan(0);
    expect([...(input.hist as string).trim()].length).toBeLessThanOrEqual(100);
  }
  if (n === 'update') {
    const value = typeof input.update === 'string' ? (JSON.parse(input.update) as unknown) : input.update;
    expect(value).toEqual(expect.any(Object));
    expect(Array.isArray(value)).toBe(false);
    const keys = Object.keys(value as object);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(PROFILE_FIELDS).toContain(k);
  }
}

// A few hundred cases in all, every one of them run: a loaded machine makes the file slower, never weaker.
const RUNS = 120;

describe('user handlers under random payloads', () => {
  it('answer an end user with a documented code, never touching another user', async () => {
    const property = fc.asyncProperty(name, payload, junk, placement, endUser, async (n, fields, extra, where, who) => {
      const caller = who === '<fresh>' ? freshOpenid() : who;
      await check(buildEvent(n, fields, extra, where, caller), caller);
    });
    await fuzz(property.beforeEach(freshState), RUNS);
  }, 180_000);

  it('answer a server-side caller with a documented code, writing nothing when rejecting', async () => {
    await fuzz(fc.asyncProperty(name, payload, junk, placement, async (n, fields, extra, where) => check(buildEvent(n, fields, extra, where, undefined), undefined)).beforeEach(freshState), RUNS);
  }, 180_000);

  it('answer arbitrary events with -1 or a documented code', async () => {
    const event = fc.dictionary(fc.oneof(fc.constantFrom('name', 'data', 'openid', 'user_id', 'update', 'hist'), fc.string()), fc.anything(), { maxKeys: 5 });
    await fuzz(fc.asyncProperty(event, fc.option(fc.constantFrom(ME, STRANGER), { nil: undefined }), async (e, caller) => check(JSON.parse(JSON.stringify(e)) as Record<string, unknown>, caller)).beforeEach(freshState), 80);
  }, 180_000);
});
