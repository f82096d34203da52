// The wechat function under load and when WeChat misbehaves: rate limits hold across function
// instances and an over-limit request does nothing; a phone number race has one winner; WeChat
// failures become a bare 500; an expired access token is renewed once.
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { wechatApi, type Fault, type Reply } from '../support/wechat-api';

let limited: TestEmulator;
let emulator: TestEmulator;
let api: ReturnType<typeof wechatApi>;
beforeAll(async () => {
  // Five logins per address per day-long window (no window boundary inside the test).
  limited = await startTestEmulator({ functionEnv: { RATE_LIMIT_PER_IP: '5', RATE_LIMIT_WINDOW_SECONDS: '86400' } });
  // WeChat calls give up after one second, so a slow WeChat is quickly a failed one.
  emulator = await startTestEmulator({ functionEnv: { WECHAT_HTTP_TIMEOUT_MS: '1000' } });
  api = wechatApi(emulator);
});
afterAll(async () => {
  await limited?.close();
  await emulator?.close();
  // The WeChat failures below are logged by the wechat function (shared/log.ts).
  const logged = emulator.output.functionLines();
  expect(logged.filter((l) => /\[error\] WeChat call failed: AppError \| UPSTREAM \| WeChat \/sns\/jscode2session answered HTTP 500/.test(l))).not.toHaveLength(0);
  expect(logged.filter((l) => /\[error\] WeChat call failed: AppError \| UPSTREAM \| WeChat \/wxa\/business\/getuserphonenumber answered HTTP 500/.test(l))).not.toHaveLength(0);
});

const grewBy = (before: Record<string, number>, after: Record<string, number>, path: string) => (after[path] ?? 0) - (before[path] ?? 0);

describe('rate limits', () => {
  it('lets exactly RATE_LIMIT_PER_IP concurrent logins from one address through across instances; the rest do nothing', async () => {
    const limitedApi = wechatApi(limited);
    const before = await limitedApi.wechatCalls();
    const codes = await Promise.all(Array.from({ length: 8 }, (_, i) => limited.loginCode(`o_lim_${i}`)));
    const results = await Promise.all(codes.map((code) => limitedApi.http('login', { users_wx_code: code })));

    expect(results.map((r) => r.status).sort()).toEqual([...Array(5).fill(200), ...Array(3).fill(429)]);
    expect(limited.context.runner.instanceCount('wechat')).toBeGreaterThan(1);
    const admitted = results.filter((r) => r.status === 200).map((r) => r.body.data.user.openid as string);
    // Read from the emulator's store: wx-server-sdk in this process stays bound to the first emulator it met.
    expect((await limited.context.store.find('users', {})).map((u) => u.openid).sort()).toEqual(admitted.sort());
    // Refused before the code exchange: a flood spends no WeChat quota and burns no code.
    expect(grewBy(before, await limitedApi.wechatCalls(), '/sns/jscode2session')).toBe(5);
    expect(results.filter((r) => r.status === 429).every((r) => r.body.token === undefined)).toBe(true);
  });
});

describe('two users claiming one phone number at the same time', () => {
  it('gives each number to exactly one of them, and only that user holds it', async () => {
    const phones = ['13700137001', '13700137002', '13700137003'];
    const rounds = await Promise.all(
      phones.map(async (phone, i) => {
        const users = await Promise.all([api.login(`o_race_${i}_a`), api.login(`o_race_${i}_b`)]);
        const fields = await Promise.all(users.map(() => api.profileFields(phone)));
        return { phone, openids: [`o_race_${i}_a`, `o_race_${i}_b`], results: await Promise.all(users.map((u, j) => api.http('profile', fields[j], { token: u.token }))) };
      }),
    );
    for (const { phone, openids, results } of rounds) {
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
      const winner = openids[results.findIndex((r) => r.status === 200)];
      const loser = openids[results.findIndex((r) => r.status === 400)] as string;
      expect((await api.userDocs({ phone })).map((u) => u.openid)).toEqual([winner]);
      expect(await api.userDoc(loser)).not.toHaveProperty('phone');
    }
  });
});

describe('when WeChat fails', () => {
  const leaksNothing = (res: Reply) => {
    const text = JSON.stringify(res.body);
    expect(res.body.data).toEqual({});
    for (const secret of [emulator.secrets.appSecret, emulator.secrets.tokenSecret, emulator.secrets.appid, emulator.url]) expect(text).not.toContain(secret);
    expect(res.body.msg).not.toMatch(/secret|https?:\/\/|\/sns\/|\/cgi-bin\/|\/wxa\/|errcode|ECONN|\n\s*at\s/i);
  };

  it.each<[string, Omit<Fault, 'path'>]>([
    ['answers HTTP 500', { kind: 'http500' }],
    ['drops the connection', { kind: 'drop' }],
    ['answers after the function has stopped waiting', { kind: 'delay', delayMs: 2500 }],
    ['reports a system error (errcode -1)', { kind: 'errcode', errcode: -1 }],
    ['says the app secret is wrong (errcode 40125)', { kind: 'errcode', errcode: 40125 }],
  ])('login answers a bare 500 when jscode2session %s, registers nobody, and works once WeChat is back', async (_, fault) => {
    const openid = `o_fail_${fault.kind}_${fault.errcode ?? 0}`;
    await api.fault({ path: '/sns/jscode2session', ...fault });
    const res = await api.http('login', { users_wx_code: await emulator.loginCode(openid) });
    expect(res.status).toBe(500);
    leaksNothing(res);
    expect(await api.userDoc(openid)).toBeUndefined();
    expect((await api.http('login', { users_wx_code: await emulator.loginCode(openid) })).status).toBe(200);
  });

  it('login answers 429 when WeChat says the user logs in too often (errcode 45011)', async () => {
    await api.fault({ path: '/sns/jscode2session', kind: 'errcode', errcode: 45011 });
    const res = await api.http('login', { users_wx_code: await emulator.loginCode('o_fail_45011') });
    expect(res.status).toBe(429);
    leaksNothing(res);
    expect(await api.userDoc('o_fail_45011')).toBeUndefined();
  });

  it('login answers 400, not 500, to a code WeChat rejects, and says nothing secret', async () => {
    const res = await api.http('login', { users_wx_code: 'wxcode_never_issued' });
    expect(res.status).toBe(400);
    expect(res.body.msg).not.toMatch(/secret|https?:\/\//i);
  });

  it('profile answers a bare 500 when getuserphonenumber fails, and changes nothing', async () => {
    const { token } = await api.login('o_fail_phone');
    const before = await api.userDoc('o_fail_phone');
    await api.fault({ path: '/wxa/business/getuserphonenumber', kind: 'http500' });
    const res = await api.setProfile(token, '13700137200');
    expect(res.status).toBe(500);
    leaksNothing(res);
    expect(await api.userDoc('o_fail_phone')).toEqual(before);
    expect(await api.userDocs({ phone: '13700137200' })).toEqual([]);
  });

  it('profile renews an expired access token once, succeeds, and reuses the renewed token', async () => {
    const { token } = await api.login('o_expired_at');
    expect((await api.setProfile(token, '13700137300')).status).toBe(200);
    expect((await emulator.post('/_emulator/wechat/expire-access-tokens', {})).status).toBe(200);

    const before = await api.wechatCalls();
    const res = await api.setProfile(token, '13700137301');
    expect(res.status).toBe(200);
    expect(res.body.data.user).toMatchObject({ users_phone: '13700137301', users_phone_masked: '137****7301' });
    const after = await api.wechatCalls();
    expect(grewBy(before, after, '/cgi-bin/stable_token')).toBeGreaterThanOrEqual(1);
    expect(grewBy(before, after, '/cgi-bin/stable_token')).toBeLessThanOrEqual(2);
    // The first WeChat call of profile is the nickname's content check (msg_sec_check over HTTP
    // access, docs/cloud-calls.md): it meets the expired token (42001) and is retried once after the
    // renewal; getuserphonenumber then goes through first time with the renewed token.
    expect(grewBy(before, after, '/wxa/msg_sec_check')).toBe(2);
    expect(grewBy(before, after, '/wxa/business/getuserphonenumber')).toBe(1);

    expect((await api.setProfile(token, '13700137302')).status).toBe(200);
    expect(grewBy(after, await api.wechatCalls(), '/cgi-bin/stable_token')).toBe(0);
  });
});
