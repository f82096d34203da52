// Paths the other suites do not reach, each checked against its documented behaviour:
// - rate-limit windows (README, Configuration: RATE_LIMIT_WINDOW_SECONDS fixed windows): hits
//   counted in an earlier window do not count in the current one;
// - the profile lock (shared/db/locks.ts: "an expired lock (its holder died) may be taken over");
// - registration: unionid kept from the WeChat context (getWXContext UNIONID), a non-mainland
//   number from WeChat stored as E.164 (README: "other countries: E.164"), a users counter behind
//   the collection still giving a fresh id (shared/db/users.ts), and common.setUserInfo from an
//   openid that never logged in refused with NOT_FOUND, writing nothing;
// - configuration errors (docs/deploy.md: "a configuration error naming the variable (never its
//   value) in that function's shape", the same line in the function's log; README, Configuration:
//   TOKEN_SECRET required, at least 16 characters).
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { waitFor } from '../support/wait-for';
import { userApi } from '../support/user-api';
import { ROUTES, wechatApi } from '../support/wechat-api';

let emulator: TestEmulator;
let api: ReturnType<typeof wechatApi>;
let users: ReturnType<typeof userApi>;
beforeAll(async () => {
  // Two logins per caller per day-long window: no real window boundary falls inside the test.
  emulator = await startTestEmulator({ functionEnv: { RATE_LIMIT_PER_CALLER: '2', RATE_LIMIT_WINDOW_SECONDS: '86400' } });
  api = wechatApi(emulator);
  users = userApi(emulator);
});
afterAll(() => emulator.close());

const store = () => emulator.context.store;
const login = async (openid: string) => emulator.post<{ code: number; token?: string }>(ROUTES.login, { users_wx_code: await emulator.loginCode(openid) });

describe('rate-limit windows', () => {
  const DAY_MS = 86_400_000;

  it('refuses the third login in a window with 429, and counts nothing from the previous window', async () => {
    const openid = 'o_up_window';
    expect([(await login(openid)).status, (await login(openid)).status, (await login(openid)).status]).toEqual([200, 200, 429]);
    const [bucket] = await store().find('rate_limits', { _id: { $regex: `^login:${openid}:` } });
    const start = Number(String(bucket?._id).split(':').at(-1));
    // A fixed window starts on a multiple of its length and ends one length later.
    expect({ aligned: start % DAY_MS, count: bucket?.count, expiresAt: (bucket?.expiresAt as Date).getTime() }).toEqual({ aligned: 0, count: 3, expiresAt: start + DAY_MS });
    // Those three hits become the previous window's: the current window starts empty.
    await store().remove('rate_limits', { _id: bucket?._id }, false);
    await store().insert('rate_limits', [{ ...bucket, _id: `login:${openid}:${start - DAY_MS}`, expiresAt: new Date(start) }]);
    expect((await login(openid)).status).toBe(200);
    // The write that starts a window removes the ended ones (shared/db/rate-limits.ts).
    const after = await store().find('rate_limits', { _id: { $regex: `^login:${openid}:` } });
    expect(after.map((b) => [b._id, b.count])).toEqual([[`login:${openid}:${start}`, 1]]);
  });
});

describe('the profile lock', () => {
  it('is taken over when its holder crashed (its expiry passed), and released after the save', async () => {
    await users.register('o_up_lock', { phone: '13700009001' });
    const doc = await users.userDoc('o_up_lock');
    await store().insert('locks', [{ _id: `profile:${doc._id}`, expiresAt: new Date(Date.now() - 1000) }]);
    // A phone number change is the save that takes the lock (shared/services/save-profile.ts).
    expect(await users.call('update', { update: { phone: '13700009101' } }, 'o_up_lock')).toMatchObject({ code: 0 });
    expect(await users.userDoc('o_up_lock')).toMatchObject({ phone: '13700009101' });
    expect(await store().find('locks', { _id: `profile:${doc._id}` })).toEqual([]);
  });

  it('is not taken from a live holder: the save gives up without writing, and the lock stays', async () => {
    await users.register('o_up_busy', { phone: '13700009002' });
    const doc = await users.userDoc('o_up_busy');
    const lock = { _id: `profile:${doc._id}`, expiresAt: new Date(Date.now() + 3600_000) };
    await store().insert('locks', [lock]);
    const res = await users.call('update', { update: { phone: '13700009102' } }, 'o_up_busy');
    expect(res.code).toBeLessThan(0);
    expect((await users.userDoc('o_up_busy')).phone).toBe('13700009002');
    expect(await store().find('phone_claims', { _id: '13700009102' })).toEqual([]);
    expect(await store().find('locks', { _id: lock._id })).toEqual([lock]);
    await store().remove('locks', { _id: lock._id }, false);
  }, 30_000);
});

describe('registration', () => {
  it('keeps the unionid the WeChat context carries (callFunction with X-WX-UNIONID)', async () => {
    const res = await emulator.post<{ result?: { openid: string } }>('/functions/common', { name: 'login' }, { 'x-wx-openid': 'o_up_union', 'x-wx-unionid': 'u_up_union' });
    expect(res.body.result?.openid).toBe('o_up_union');
    expect((await store().find('users', { openid: 'o_up_union' }))[0]).toMatchObject({ unionid: 'u_up_union' });
  });

  it('keeps the unionid code2Session returns for a wechat login', async () => {
    const code = (await emulator.post<{ code: string }>('/_emulator/wechat/login-code', { openid: 'o_up_union2', unionid: 'u_up_union2' })).body.code;
    expect((await emulator.post(ROUTES.login, { users_wx_code: code })).status).toBe(200);
    expect((await store().find('users', { openid: 'o_up_union2' }))[0]).toMatchObject({ unionid: 'u_up_union2' });
  });

  it('stores a number from outside the mainland that WeChat gives (区号 1) as E.164', async () => {
    const { token } = await api.login('o_up_abroad');
    const code = (await emulator.post<{ code: string }>('/_emulator/wechat/phone-code', { phoneNumber: '6502530000', countryCode: '1' })).body.code;
    const res = await emulator.post<{ code: number }>(ROUTES.profile, { users_name: 'abroad', users_phone_code: code, users_picture: 'https://img.example.com/a.png' }, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect((await store().find('users', { openid: 'o_up_abroad' }))[0]?.phone).toBe('+16502530000');
    expect(await store().find('phone_claims', { _id: '+16502530000' })).toHaveLength(1);
  });

  it('gives a fresh id when the users counter lags behind the collection, and raises the counter to it', async () => {
    await emulator.callFunction('common', { name: 'login' }, 'o_up_before_lag');
    const maxId = Math.max(...(await store().find('users', {})).map((u) => u.id as number));
    await store().update('counters', { _id: 'users' }, { $set: { value: 0 } }, false);
    const res = await emulator.callFunction<{ id: number }>('common', { name: 'login' }, 'o_up_after_lag');
    expect(res.body.result?.id).toBeGreaterThan(maxId);
    const ids = (await store().find('users', {})).map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await store().find('counters', { _id: 'users' }))[0]?.value).toBe(res.body.result?.id);
  });

  it('refuses common.setUserInfo from an openid that never logged in with NOT_FOUND, and registers nobody', async () => {
    const writes = users.writes();
    const res = await emulator.callFunction('common', { name: 'setUserInfo', data: { nickname: 'ghost', avatarUrl: 'https://img.example.com/g.png' } }, 'o_up_ghost');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.errMsg).toMatch(/NOT_FOUND: user not registered/);
    expect(await users.writes()).toBe(await writes);
    expect(await store().find('users', { openid: 'o_up_ghost' })).toEqual([]);
  });
});

describe('configuration errors', () => {
  // WECHAT_SECRET is needed before WeChat is asked, so nobody is registered; TOKEN_SECRET only to
  // sign the token, after the registration (which a later login then finds).
  it.each([
    ['WECHAT_SECRET missing', { WECHAT_SECRET: '' }, /WECHAT_SECRET/, 0],
    ['TOKEN_SECRET shorter than 16 characters', { TOKEN_SECRET: 'short-secret' }, /TOKEN_SECRET/, 1],
  ])('%s: a wechat login answers HTTP 500 with a configuration error naming the variable, never its value, and logs it', async (_what, env, named, registered) => {
    const broken = await startTestEmulator({ functionEnv: env });
    try {
      const res = await broken.post<{ code: number; msg: string; data: unknown }>(ROUTES.login, { users_wx_code: await broken.loginCode('o_up_config') });
      expect(res).toMatchObject({ status: 500, body: { code: 500, msg: expect.stringMatching(/^configuration error: /), data: {} } });
      expect(res.body.msg).toMatch(named);
      expect(JSON.stringify(res.body)).not.toContain('short-secret');
      // The wechat function logs it (shared/log.ts): `[error] login failed: AppError | CONFIGURATION | configuration error: …`.
      const configurationErrors = () => broken.output.functionLines().filter((l) => /configuration error/.test(l));
      const said = await waitFor('the logged configuration error', () => configurationErrors().length > 0 && configurationErrors());
      expect(said).toEqual([expect.stringMatching(/^\[error\] login failed: AppError \| CONFIGURATION \| configuration error: /)]);
      expect(said[0]).toMatch(named);
      expect(said.join('\n')).not.toContain('short-secret');
      expect(await broken.context.store.find('users', { openid: 'o_up_config' })).toHaveLength(registered);
    } finally {
      await broken.close();
    }
  });
});
