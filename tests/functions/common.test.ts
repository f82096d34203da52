import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

type Rows = { data: Array<Record<string, unknown>> };
const usersWith = async (openid: string) => ((await sdkFor(emulator).database().collection('users').where({ openid }).get()) as Rows).data;

describe('common.login', () => {
  it('registers the caller on first login and returns the same user afterwards', async () => {
    const first = await emulator.callFunction<{ openid: string; id: number; auth: string[] }>('common', { name: 'login' }, 'o_common_a');
    expect(first.status).toBe(200);
    expect(first.body.result).toMatchObject({ openid: 'o_common_a', auth: [] });
    const again = await emulator.callFunction<{ id: number }>('common', { name: 'login' }, 'o_common_a');
    expect(again.body.result?.id).toBe(first.body.result?.id);
    expect(await usersWith('o_common_a')).toHaveLength(1);
  });

  it('creates exactly one user and one id when 50 first logins race', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => emulator.callFunction<{ id: number }>('common', { name: 'login' }, 'o_common_race')));
    const ids = new Set(results.map((r) => r.body.result?.id));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(ids.size).toBe(1);
    expect(await usersWith('o_common_race')).toHaveLength(1);
  });

  it('gives 20 users registering at the same time 20 distinct, consecutive ids', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => emulator.callFunction<{ id: number }>('common', { name: 'login' }, `o_common_many_${i}`)));
    const ids = results.map((r) => r.body.result?.id as number).sort((a, b) => a - b);
    expect(ids.every(Number.isInteger)).toBe(true);
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => (ids[0] as number) + i));
  });

  it('rejects a server-side caller, who has no user identity', async () => {
    const res = await emulator.callFunction('common', { name: 'login' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.errMsg).toMatch(/FORBIDDEN/);
  });

  it('lists the valid names when the name is unknown', async () => {
    const res = await emulator.callFunction('common', { name: 'nope' }, 'o_common_a');
    expect(res.body.errMsg).toMatch(/UNKNOWN_ACTION: .*valid names: login, auth, setUserInfo/);
  });
});

describe('common.auth', () => {
  it('returns public features, features granted to a role of the user, and to their openid', async () => {
    const db = sdkFor(emulator).database();
    await emulator.callFunction('common', { name: 'login' }, 'o_common_admin');
    await db.collection('users').where({ openid: 'o_common_admin' }).update({ data: { roles: ['admin'] } });
    await db.collection('permissions').add({ data: { _id: 'backdb', roles: ['admin'], openids: [] } });
    await db.collection('permissions').add({ data: { _id: 'search', public: true } });
    await db.collection('permissions').add({ data: { _id: 'beta', openids: ['o_common_a'] } });
    expect((await emulator.callFunction('common', { name: 'auth' }, 'o_common_admin')).body.result).toEqual(['backdb', 'search']);
    expect((await emulator.callFunction('common', { name: 'auth' }, 'o_common_a')).body.result).toEqual(['beta', 'search']);
    const login = await emulator.callFunction<{ auth: string[] }>('common', { name: 'login' }, 'o_common_admin');
    expect(login.body.result?.auth).toEqual(['backdb', 'search']);
  });
});

describe('common.setUserInfo', () => {
  it('updates the caller nickname and avatar', async () => {
    await emulator.callFunction('common', { name: 'login' }, 'o_common_b');
    const res = await emulator.callFunction('common', { name: 'setUserInfo', data: { nickname: '  小明 ', avatarUrl: 'https://img.example.com/a.png' } }, 'o_common_b');
    expect(res.status).toBe(200);
    const [user] = await usersWith('o_common_b');
    expect(user).toMatchObject({ nickname: '小明', avatar: 'https://img.example.com/a.png' });
  });

  it.each([
    [{ nickname: '', avatarUrl: 'https://a.example/x.png' }, /INVALID_PARAMS: nickname/],
    [{ nickname: 'x'.repeat(33), avatarUrl: 'https://a.example/x.png' }, /INVALID_PARAMS: nickname must be 1-32 characters/],
    [{ nickname: 'ok', avatarUrl: 'javascript:alert(1)' }, /INVALID_PARAMS: avatarUrl/],
    [{ nickname: 'ok' }, /INVALID_PARAMS: avatarUrl/],
  ])('rejects %j and changes nothing', async (data, message) => {
    const before = await usersWith('o_common_b');
    expect(before).toHaveLength(1);
    const res = await emulator.callFunction('common', { name: 'setUserInfo', data }, 'o_common_b');
    expect(res.body.errMsg).toMatch(message);
    expect(await usersWith('o_common_b')).toEqual(before);
  });

  it('refuses a uid naming another user', async () => {
    const other = (await usersWith('o_common_a'))[0] as { _id: string };
    const before = await usersWith('o_common_a');
    const res = await emulator.callFunction('common', { name: 'setUserInfo', data: { uid: other._id, nickname: 'hacker', avatarUrl: 'https://a.example/x.png' } }, 'o_common_b');
    expect(res.body.errMsg).toMatch(/INVALID_PARAMS: uid must be your own/);
    expect(await usersWith('o_common_a')).toEqual(before);
  });

  it('lets a server-side caller name any user', async () => {
    const target = (await usersWith('o_common_a'))[0] as { id: number };
    const res = await emulator.callFunction('common', { name: 'setUserInfo', data: { uid: target.id, nickname: 'ops', avatarUrl: 'http://a.example/o.png' } });
    expect(res.status).toBe(200);
    expect((await usersWith('o_common_a'))[0]).toMatchObject({ nickname: 'ops' });
  });
});
