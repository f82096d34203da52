// user.addHistory / getHistory / cleanHistory through the emulator: most recent first, duplicates
// moved to the front, at most 20 entries of at most 100 characters, and nothing lost under races.
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { userApi } from '../support/user-api';

let emulator: TestEmulator;
let api: ReturnType<typeof userApi>;
let phone = 13600000000;
/** A registered end user of its own for each test. */
const newUser = async (openid: string) => {
  await api.register(openid, { phone: String(++phone) });
  return openid;
};
const add = (openid: string, hist: unknown) => api.call<string[]>('addHistory', { hist }, openid);

beforeAll(async () => {
  emulator = await startTestEmulator();
  api = userApi(emulator);
});
afterAll(() => emulator.close());

describe('user.addHistory', () => {
  it('puts each search at the front and returns the whole list', async () => {
    const me = await newUser('o_hist_order');
    expect(await add(me, 'first')).toEqual({ code: 0, msg: 'success', data: ['first'] });
    await add(me, 'second');
    expect(await add(me, 'third')).toMatchObject({ code: 0, data: ['third', 'second', 'first'] });
    expect((await api.userDoc(me)).history).toEqual(['third', 'second', 'first']);
  });

  it('moves a search made again to the front instead of repeating it', async () => {
    const me = await newUser('o_hist_dup');
    for (const h of ['a', 'b', 'c']) await add(me, h);
    expect(await add(me, 'a')).toMatchObject({ code: 0, data: ['a', 'c', 'b'] });
    expect(await add(me, ' a ')).toMatchObject({ code: 0, data: ['a', 'c', 'b'] });
  });

  it('keeps only the 20 most recent searches', async () => {
    const me = await newUser('o_hist_cap');
    for (let i = 1; i <= 25; i++) await add(me, `q${i}`);
    const expected = Array.from({ length: 20 }, (_, i) => `q${25 - i}`);
    expect(await api.call('getHistory', {}, me)).toMatchObject({ code: 0, data: expected });
  });

  it('accepts a search of exactly 100 characters, counting characters rather than bytes', async () => {
    const me = await newUser('o_hist_100');
    expect(await add(me, '搜'.repeat(100))).toMatchObject({ code: 0, data: ['搜'.repeat(100)] });
    expect(await add(me, '😀'.repeat(100))).toMatchObject({ code: 0 });
  });

  it.each([
    ['longer than 100 characters', 'x'.repeat(101)],
    ['empty', ''],
    ['only blanks', '   '],
    ['not a string', 42],
    ['missing', undefined],
  ])('rejects a search that is %s with -1 and writes nothing', async (_, hist) => {
    const me = await newUser(`o_hist_bad_${String(hist).length}_${typeof hist}`);
    await add(me, 'kept');
    const writes = await api.writes();
    expect(await add(me, hist)).toMatchObject({ code: -1, data: [] });
    expect(await api.writes()).toBe(writes);
    expect((await api.userDoc(me)).history).toEqual(['kept']);
  });

  it('answers -2 for a user that does not exist and creates nothing', async () => {
    const writes = await api.writes();
    expect(await add('o_hist_nobody', 'x')).toMatchObject({ code: -2, data: [] });
    expect(await api.call('addHistory', { openid: 'o_hist_nobody', hist: 'x' })).toMatchObject({ code: -2 });
    expect(await api.writes()).toBe(writes);
    expect(await api.usersWith('o_hist_nobody')).toEqual([]);
  });

  it('accepts the search under data, and from a server naming the user', async () => {
    const me = await newUser('o_hist_forms');
    expect(await api.call('addHistory', { data: { hist: 'from data' } }, me)).toMatchObject({ code: 0, data: ['from data'] });
    expect(await api.call('addHistory', { openid: me, hist: 'from server' })).toMatchObject({ code: 0, data: ['from server', 'from data'] });
  });

  it('loses none of 15 searches added at the same time', async () => {
    const me = await newUser('o_hist_race15');
    const entries = Array.from({ length: 15 }, (_, i) => `race-${i}`);
    const results = await Promise.all(entries.map((h) => add(me, h)));
    expect(results.every((r) => r.code === 0)).toBe(true);
    const { data } = await api.call<string[]>('getHistory', {}, me);
    expect([...data].sort()).toEqual([...entries].sort());
  });

  it('keeps exactly 20 distinct searches out of 30 added at the same time', async () => {
    const me = await newUser('o_hist_race30');
    const entries = Array.from({ length: 30 }, (_, i) => `burst-${i}`);
    const results = await Promise.all(entries.map((h) => add(me, h)));
    expect(results.every((r) => r.code === 0)).toBe(true);
    const { data } = await api.call<string[]>('getHistory', {}, me);
    expect(data).toHaveLength(20);
    expect(new Set(data).size).toBe(20);
    for (const h of data) expect(entries).toContain(h);
  });

  it('keeps each search once when the same searches are repeated at the same time', async () => {
    const me = await newUser('o_hist_race_dup');
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => add(me, `dup-${i % 4}`)));
    expect(results.every((r) => r.code === 0)).toBe(true);
    const { data } = await api.call<string[]>('getHistory', {}, me);
    expect([...data].sort()).toEqual(['dup-0', 'dup-1', 'dup-2', 'dup-3']);
  });
});

describe('user.getHistory', () => {
  it('returns [] for a new user and the list most recent first afterwards', async () => {
    const me = await newUser('o_hist_get');
    expect(await api.call('getHistory', {}, me)).toEqual({ code: 0, msg: 'success', data: [] });
    await add(me, 'one');
    await add(me, 'two');
    expect(await api.call('getHistory', { openid: me })).toMatchObject({ code: 0, data: ['two', 'one'] });
    expect(await api.call('getHistory', { data: { openid: me } })).toMatchObject({ code: 0, data: ['two', 'one'] });
  });

  it('answers -2 for a user that does not exist and -1 for a malformed openid', async () => {
    expect(await api.call('getHistory', {}, 'o_hist_nobody')).toMatchObject({ code: -2, data: [] });
    expect(await api.call('getHistory', { openid: 'bad openid' })).toMatchObject({ code: -1, data: [] });
  });
});

describe('user.cleanHistory', () => {
  it('empties the history and returns []', async () => {
    const me = await newUser('o_hist_clean');
    await add(me, 'gone');
    expect(await api.call('cleanHistory', {}, me)).toEqual({ code: 0, msg: 'success', data: [] });
    expect(await api.call('getHistory', {}, me)).toMatchObject({ code: 0, data: [] });
    expect((await api.userDoc(me)).history).toEqual([]);
  });

  it('lets the history grow again after cleaning', async () => {
    const me = await newUser('o_hist_reuse');
    await add(me, 'old');
    await api.call('cleanHistory', { openid: me });
    expect(await add(me, 'old')).toMatchObject({ code: 0, data: ['old'] });
  });

  it('answers -2 for a user that does not exist and writes nothing', async () => {
    const writes = await api.writes();
    expect(await api.call('cleanHistory', {}, 'o_hist_nobody')).toMatchObject({ code: -2, data: [] });
    expect(await api.writes()).toBe(writes);
  });
});
