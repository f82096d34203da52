// user.login / getOpenid / loginByOpenid / get / update / logout through the emulator: the seeds'
// envelope and error codes, and that a rejected call changes nothing.
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { TIME_FORMAT, userApi } from '../support/user-api';

let emulator: TestEmulator;
let api: ReturnType<typeof userApi>;
beforeAll(async () => {
  emulator = await startTestEmulator();
  api = userApi(emulator);
});
afterAll(() => emulator.close());

const FULL_PROFILE = { phone: '13800000001', qq: '10001', cardno: '2020123456', wxid: 'wx_zhang', nick_name: '张三', avatar: 'https://img.example.com/a.png', gender: 1 };

describe('user.login', () => {
  it('registers a new user with the fields of both seeds and returns the whole view', async () => {
    const res = await api.call('login', FULL_PROFILE, 'o_login_full');
    expect(res).toMatchObject({ code: 0, msg: 'success', data: { openid: 'o_login_full', ...FULL_PROFILE } });
    const view = res.data as Record<string, unknown>;
    expect(Object.keys(view).sort()).toEqual(['avatar', 'cardno', 'created_at', 'ctime', 'gender', 'id', 'mtime', 'modified_at', 'nick_name', 'openid', 'phone', 'qq', 'wxid'].sort());
    expect(view.id).toEqual(expect.any(Number));
    for (const t of ['created_at', 'modified_at', 'ctime', 'mtime']) expect(view[t]).toMatch(TIME_FORMAT);
    expect(await api.userDoc('o_login_full')).toMatchObject({ nickname: '张三', gender: 1, roles: [], history: [], tokenVersion: 0 });
  });

  it('accepts the fields under data, and gender as the string "0"', async () => {
    const res = await api.call('login', { data: { phone: '13800000002', gender: '0' } }, 'o_login_data');
    expect(res).toMatchObject({ code: 0, data: { openid: 'o_login_data', phone: '13800000002', gender: 0, qq: '' } });
  });

  it('saves the submitted fields when the same openid logs in again (seed 001: 登录(注册) with the user\'s fields)', async () => {
    const first = await api.register('o_login_again', { phone: '13800000003', qq: '1', cardno: 'A1' });
    const again = await api.call('login', { phone: '13800000004', qq: '2', nick_name: 'other' }, 'o_login_again');
    expect(again).toMatchObject({ code: 0, data: { id: first.id, phone: '13800000004', qq: '2', nick_name: 'other', cardno: 'A1' } });
    expect(await api.userDoc('o_login_again')).toMatchObject({ id: first.id, phone: '13800000004', qq: '2', nickname: 'other', cardno: 'A1' });
    // The number it stopped holding is free for someone else.
    expect(await api.call('login', { phone: '13800000003' }, 'o_login_again_other')).toMatchObject({ code: 0, data: { phone: '13800000003' } });
  });

  it('never lets a registration set roles, id, token version or history', async () => {
    const res = await api.call<{ id: number }>('login', { phone: '13800000005', roles: ['admin'], id: 99999, tokenVersion: 7, history: ['x'] }, 'o_login_sneaky');
    expect(res.code).toBe(0);
    expect(res.data.id).toEqual(expect.any(Number));
    expect(res.data.id).not.toBe(99999);
    expect(await api.userDoc('o_login_sneaky')).toMatchObject({ roles: [], history: [], tokenVersion: 0 });
  });

  it.each([
    ['no phone', { qq: '1' }],
    ['an invalid phone', { phone: 'call me' }],
    ['a gender other than 0 or 1', { phone: '13800000006', gender: 2 }],
    ['an avatar that is not an http(s) URL', { phone: '13800000006', avatar: 'javascript:alert(1)' }],
    ['an empty nick_name', { phone: '13800000006', nick_name: '' }],
    ['a malformed openid', { phone: '13800000006', openid: 'not an openid!' }],
  ])('rejects a registration with %s with -1 and creates nothing', async (_, payload) => {
    const writes = await api.writes();
    expect(await api.call('login', payload, 'o_login_invalid')).toMatchObject({ code: -1, data: [] });
    expect(await api.writes()).toBe(writes);
    expect(await api.usersWith('o_login_invalid')).toEqual([]);
  });

  it('rejects a phone already used by another user with -2 and creates nothing', async () => {
    await api.register('o_login_phone_owner', { phone: '13800000007' });
    const writes = await api.writes();
    expect(await api.call('login', { phone: '13800000007' }, 'o_login_phone_thief')).toMatchObject({ code: -2, data: [] });
    expect(await api.writes()).toBe(writes);
    expect(await api.usersWith('o_login_phone_thief')).toEqual([]);
  });

  it('lets a server-side caller register any openid but requires one', async () => {
    expect(await api.call('login', { openid: 'o_login_by_server', phone: '13800000008' })).toMatchObject({ code: 0, data: { openid: 'o_login_by_server' } });
    expect(await api.call('login', { phone: '13800000009' })).toMatchObject({ code: -1 });
  });

  it('creates exactly one user and one id when 50 first logins of one openid race', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => api.call<{ id: number }>('login', { phone: '13800000010' }, 'o_login_race')));
    expect(results.map((r) => r.code)).toEqual(Array(50).fill(0));
    expect(new Set(results.map((r) => r.data.id)).size).toBe(1);
    expect(await api.usersWith('o_login_race')).toHaveLength(1);
  });

  it('leaves the user holding one of the phones of racing logins, and every other one free for other users', async () => {
    const phones = Array.from({ length: 10 }, (_, i) => `1380000010${i}`);
    await Promise.all(phones.map(() => api.call('get', {}, 'o_warm_up'))); // warm instances make the race real
    const results = await Promise.all(phones.map((phone) => api.call<{ phone: string }>('login', { phone }, 'o_login_race_phones')));
    expect(results.map((r) => r.code)).toEqual(Array(phones.length).fill(0));
    const kept = (await api.userDoc('o_login_race_phones')).phone as string;
    expect(phones).toContain(kept);
    for (const other of phones.filter((p) => p !== kept)) {
      expect(await api.call('login', { phone: other }, `o_login_race_phones_${other}`)).toMatchObject({ code: 0, data: { phone: other } });
    }
  });

  it('gives distinct ids to 20 users registering at the same time', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => api.call<{ id: number }>('login', { phone: `1390000${String(i).padStart(4, '0')}` }, `o_login_many_${i}`)));
    expect(results.every((r) => r.code === 0)).toBe(true);
    expect(new Set(results.map((r) => r.data.id)).size).toBe(20);
  });
});

describe('user.getOpenid', () => {
  it('turns a wx.login code into the openid and nothing else (no session_key)', async () => {
    const res = await api.call('getOpenid', { js_code: await emulator.loginCode('o_code_a') });
    expect(res).toEqual({ code: 0, msg: 'success', data: { openid: 'o_code_a' } });
  });

  it('gives an end user the openid of their own code, under data too', async () => {
    const res = await api.call('getOpenid', { data: { js_code: await emulator.loginCode('o_code_b') } }, 'o_code_b');
    expect(res).toEqual({ code: 0, msg: 'success', data: { openid: 'o_code_b' } });
  });

  it("rejects an end user presenting another user's code with -1", async () => {
    expect(await api.call('getOpenid', { js_code: await emulator.loginCode('o_code_victim') }, 'o_code_c')).toMatchObject({ code: -1, data: [] });
  });

  it('answers -2 for a code WeChat does not accept, and -1 without a code', async () => {
    expect(await api.call('getOpenid', { js_code: 'never-issued' })).toMatchObject({ code: -2, data: [] });
    expect(await api.call('getOpenid', {})).toMatchObject({ code: -1, data: [] });
  });
});

describe('user.loginByOpenid', () => {
  beforeAll(() => api.register('o_lbo', { phone: '13800000020', nick_name: '李四' }));

  it.each([
    ['an end user without openid', {}, 'o_lbo'],
    ['an end user naming themself', { openid: 'o_lbo' }, 'o_lbo'],
    ['a server naming the openid under data', { data: { openid: 'o_lbo' } }, undefined],
  ])('returns the user to %s', async (_, payload, caller) => {
    expect(await api.call('loginByOpenid', payload, caller)).toMatchObject({ code: 0, data: { openid: 'o_lbo', phone: '13800000020', nick_name: '李四' } });
  });

  it('answers -2 for an openid that is not registered, so the client calls login', async () => {
    expect(await api.call('loginByOpenid', {}, 'o_lbo_nobody')).toMatchObject({ code: -2, data: [] });
    expect(await api.call('loginByOpenid', { openid: 'o_lbo_nobody' })).toMatchObject({ code: -2 });
  });

  it('answers -1 for a malformed openid or a server caller naming no one', async () => {
    expect(await api.call('loginByOpenid', { openid: 'a b' })).toMatchObject({ code: -1 });
    expect(await api.call('loginByOpenid', {})).toMatchObject({ code: -1 });
  });
});

describe('user.get', () => {
  let user: { id: number };
  beforeAll(async () => {
    user = await api.register('o_get', { phone: '13800000030', qq: '30' });
  });

  it('returns the user by openid (seed 001) or by user_id (seed 002)', async () => {
    expect(await api.call('get', { openid: 'o_get' })).toMatchObject({ code: 0, data: { id: user.id, openid: 'o_get', qq: '30' } });
    expect(await api.call('get', { data: { user_id: user.id } })).toMatchObject({ code: 0, data: { openid: 'o_get' } });
    expect(await api.call('get', { user_id: String(user.id) }, 'o_get')).toMatchObject({ code: 0, data: { openid: 'o_get' } });
  });

  it('answers -4 for a user that does not exist', async () => {
    expect(await api.call('get', { openid: 'o_get_nobody' })).toMatchObject({ code: -4, data: [] });
    expect(await api.call('get', { user_id: 987654 })).toMatchObject({ code: -4 });
    expect(await api.call('get', {}, 'o_get_nobody')).toMatchObject({ code: -4 });
  });

  it('answers -3 without details when the stored user is unreadable', async () => {
    await api.db().collection('users').add({ data: { openid: 'o_get_broken', id: 'not-a-number' } });
    expect(await api.call('get', { openid: 'o_get_broken' })).toEqual({ code: -3, msg: 'internal error', data: [] });
  });

  it('answers -1 for invalid parameters', async () => {
    expect(await api.call('get', { user_id: -5 })).toMatchObject({ code: -1 });
    expect(await api.call('get', { openid: 42 })).toMatchObject({ code: -1 });
  });
});

describe('user.get with two users sharing an openid (unique index missing)', () => {
  let bare: TestEmulator;
  afterAll(() => bare?.close());

  it('answers -2', async () => {
    bare = await startTestEmulator();
    // The SDK cannot write a second document with one openid: drop the index, as a console user could.
    bare.context.store.dropUniqueIndex('users', 'openid');
    const now = new Date();
    await bare.context.store.insert('users', [
      { openid: 'o_twice', id: 1, createdAt: now, updatedAt: now },
      { openid: 'o_twice', id: 2, createdAt: now, updatedAt: now },
    ]);
    expect(await userApi(bare).call('get', { openid: 'o_twice' })).toMatchObject({ code: -2, data: [] });
  });
});

describe('user.update', () => {
  let user: { id: number };
  beforeAll(async () => {
    user = await api.register('o_upd', { phone: '13800000040', qq: '40' });
    await api.register('o_upd_other', { phone: '13800000041' });
  });

  it('changes profile fields given as a JSON string and returns []', async () => {
    const res = await api.call('update', { openid: 'o_upd', update: JSON.stringify({ qq: '41', nick_name: '王五', gender: 0 }) }, 'o_upd');
    expect(res).toEqual({ code: 0, msg: 'success', data: [] });
    expect(await api.call('get', {}, 'o_upd')).toMatchObject({ data: { qq: '41', nick_name: '王五', gender: 0, phone: '13800000040' } });
  });

  it('accepts update as an object under data, and a server naming the user by user_id', async () => {
    expect(await api.call('update', { data: { update: { wxid: 'wx_upd' } } }, 'o_upd')).toMatchObject({ code: 0 });
    expect(await api.call('update', { user_id: user.id, update: '{"cardno":"C-1"}' })).toMatchObject({ code: 0 });
    expect(await api.userDoc('o_upd')).toMatchObject({ wxid: 'wx_upd', cardno: 'C-1' });
  });

  it.each<[string, unknown, number]>([
    ['-3 for a string that is not JSON', '{phone: 1', -3],
    ['-4 for a JSON array', '[1,2]', -4],
    ['-4 for a JSON string', '"phone"', -4],
    ['-4 for JSON null', 'null', -4],
    ['-4 for a number', 42, -4],
    ['-1 for an empty object', '{}', -1],
    ['-1 for an invalid phone', '{"phone":"x"}', -1],
    ['-1 for a gender of 2', { gender: 2 }, -1],
    ...['openid', 'id', '_id', 'roles', 'history', 'tokenVersion', 'created_at', 'createdAt', 'updatedAt', 'nickname'].map((f): [string, unknown, number] => [`-1 for the non-profile field ${f}`, JSON.stringify({ [f]: f === 'roles' ? ['admin'] : 'x' }), -1]),
  ])('answers %s and changes nothing', async (_, update, code) => {
    const [before, writes] = [await api.userDoc('o_upd'), await api.writes()];
    expect(await api.call('update', { update }, 'o_upd')).toMatchObject({ code, data: [] });
    expect(await api.writes()).toBe(writes);
    expect(await api.userDoc('o_upd')).toEqual(before);
  });

  it('answers -1 without an update', async () => {
    expect(await api.call('update', {}, 'o_upd')).toMatchObject({ code: -1 });
  });

  it("rejects another user's phone with -2 and changes nothing", async () => {
    const [before, writes] = [await api.userDoc('o_upd'), await api.writes()];
    expect(await api.call('update', { update: '{"phone":"13800000041"}' }, 'o_upd')).toMatchObject({ code: -2, data: [] });
    expect(await api.writes()).toBe(writes);
    expect(await api.userDoc('o_upd')).toEqual(before);
  });

  it('frees the old phone when a user changes theirs', async () => {
    expect(await api.call('update', { update: '{"phone":"13800000042"}' }, 'o_upd')).toMatchObject({ code: 0 });
    expect(await api.call('update', { update: '{"phone":"13800000040"}' }, 'o_upd_other')).toMatchObject({ code: 0 });
    expect(await api.userDoc('o_upd_other')).toMatchObject({ phone: '13800000040' });
  });

  it('answers -2 for a user that does not exist', async () => {
    expect(await api.call('update', { openid: 'o_upd_nobody', update: '{"qq":"1"}' })).toMatchObject({ code: -2 });
  });
});

describe('user.logout', () => {
  it('bumps the token version in the user document each time and returns []', async () => {
    await api.register('o_logout', { phone: '13800000050' });
    expect(await api.call('logout', {}, 'o_logout')).toEqual({ code: 0, msg: 'success', data: [] });
    expect(await api.userDoc('o_logout')).toMatchObject({ tokenVersion: 1 });
    expect(await api.call('logout', { openid: 'o_logout' })).toMatchObject({ code: 0 });
    expect(await api.userDoc('o_logout')).toMatchObject({ tokenVersion: 2 });
  });

  it('answers -2 for a user that does not exist and writes nothing', async () => {
    const writes = await api.writes();
    expect(await api.call('logout', {}, 'o_logout_nobody')).toMatchObject({ code: -2, data: [] });
    expect(await api.writes()).toBe(writes);
  });
});

describe('login of a user registered at launch (issue 23: common.login and wechat.login register everyone)', () => {
  it('saves the phone, qq and cardno a seed-001 login submits', async () => {
    await emulator.callFunction('common', { name: 'login' }, 'o_launch_registered');
    const res = await api.call('login', { phone: '13800000777', qq: '10001', cardno: '0111111111111' }, 'o_launch_registered');
    expect(res).toMatchObject({ code: 0, data: { openid: 'o_launch_registered', phone: '13800000777', qq: '10001', cardno: '0111111111111' } });
    expect(await api.userDoc('o_launch_registered')).toMatchObject({ phone: '13800000777', qq: '10001', cardno: '0111111111111' });
  });

  it('writes nothing when the login submits no field', async () => {
    await emulator.callFunction('common', { name: 'login' }, 'o_launch_bare');
    const before = await api.userDoc('o_launch_bare');
    const writes = await api.writes();
    expect(await api.call('login', {}, 'o_launch_bare')).toMatchObject({ code: 0, data: { openid: 'o_launch_bare' } });
    expect(await api.writes()).toBe(writes);
    expect(await api.userDoc('o_launch_bare')).toEqual(before);
  });

  it('answers -2 and saves nothing when the phone belongs to another user', async () => {
    await api.register('o_launch_holder', { phone: '13800000778' });
    await emulator.callFunction('common', { name: 'login' }, 'o_launch_taker');
    const before = await api.userDoc('o_launch_taker');
    expect(await api.call('login', { phone: '13800000778', qq: '5' }, 'o_launch_taker')).toMatchObject({ code: -2, data: [] });
    expect(await api.userDoc('o_launch_taker')).toEqual(before);
  });
});
