// Who may name whom: an end user naming anyone but themself (by openid or user_id, at the top
// level or under data) is rejected with -1 by every user handler, and nothing is written.
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { userApi } from '../support/user-api';

let emulator: TestEmulator;
let api: ReturnType<typeof userApi>;
let victimId: number;
let attackerId: number;
beforeAll(async () => {
  emulator = await startTestEmulator();
  api = userApi(emulator);
  victimId = (await api.register('o_victim', { phone: '13700000001', qq: 'victim' })).id;
  attackerId = (await api.register('o_attacker', { phone: '13700000002' })).id;
  await api.call('addHistory', { hist: 'secret search' }, 'o_victim');
});
afterAll(() => emulator.close());

const HANDLERS: Array<[string, Record<string, unknown>]> = [
  ['login', { phone: '13700000009' }],
  ['loginByOpenid', {}],
  ['get', {}],
  ['update', { update: '{"qq":"hacked"}' }],
  ['logout', {}],
  ['addHistory', { hist: 'planted' }],
  ['getHistory', {}],
  ['cleanHistory', {}],
];
const NAMINGS: Array<[string, () => Record<string, unknown>]> = [
  ['openid', () => ({ openid: 'o_victim' })],
  ['openid under data', () => ({ data: { openid: 'o_victim' } })],
  ['user_id', () => ({ user_id: victimId })],
  ['user_id under data', () => ({ data: { user_id: victimId } })],
];
const CASES = HANDLERS.flatMap(([name, extra]) => NAMINGS.map(([how, naming]) => [name, how, extra, naming] as const));

describe.each([
  ['a registered end user', 'o_attacker'],
  ['an end user who has not registered', 'o_stranger'],
])('%s', (_, attacker) => {
  it.each(CASES)('is refused by %s naming the victim by %s, and nothing changes', async (name, _how, extra, naming) => {
    const payload = { ...extra, ...naming() };
    if (payload.data) payload.data = { ...extra, ...(payload.data as object) };
    const [victim, writes] = [await api.userDoc('o_victim'), await api.writes()];
    expect(await api.call(name, payload, attacker)).toMatchObject({ code: -1, data: [] });
    expect(await api.writes()).toBe(writes);
    expect(await api.userDoc('o_victim')).toEqual(victim);
    expect(await api.usersWith('o_stranger')).toEqual([]);
  });
});

describe('naming oneself', () => {
  it.each([
    ['openid', () => ({ openid: 'o_attacker' })],
    ['user_id', () => ({ user_id: attackerId })],
    ['user_id under data', () => ({ data: { user_id: String(attackerId) } })],
  ])('is allowed by %s', async (_, naming) => {
    expect(await api.call('get', naming(), 'o_attacker')).toMatchObject({ code: 0, data: { openid: 'o_attacker' } });
    expect(await api.call('getHistory', naming(), 'o_attacker')).toMatchObject({ code: 0, data: [] });
  });
});

describe('a server-side caller', () => {
  it('may name any user by openid or user_id', async () => {
    expect(await api.call('get', { user_id: victimId })).toMatchObject({ code: 0, data: { openid: 'o_victim', qq: 'victim' } });
    expect(await api.call('getHistory', { openid: 'o_victim' })).toMatchObject({ code: 0, data: ['secret search'] });
    expect(await api.call('getHistory', { user_id: victimId })).toMatchObject({ code: 0, data: ['secret search'] });
  });

  it('must name someone', async () => {
    for (const [name, extra] of HANDLERS) expect([name, await api.call(name, extra)]).toMatchObject([name, { code: -1 }]);
  });
});

describe('an unknown name', () => {
  it('is answered with -1 listing the valid names', async () => {
    const res = await api.call('deleteEverything', {}, 'o_attacker');
    expect(res).toMatchObject({ code: -1, data: [] });
    expect(res.msg).toMatch(/valid names: login, getOpenid, loginByOpenid, get, update, logout, addHistory, getHistory, cleanHistory/);
  });
});
