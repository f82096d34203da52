// Issue 11 item 6: a string holding a lone UTF-16 surrogate ("abc\ud800") is not text — no UTF-8
// (RFC 3629 §3: the surrogate range U+D800..U+DFFF is excluded) or well-formed JSON text can carry
// it, only a JSON escape can. Every function refuses it as bad input with its documented error
// (wechat 400, user -1, common and backdb INVALID_PARAMS), before any handler or WeChat call
// runs, whichever field or key holds it.
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { ROUTES, wechatApi, type WechatBody } from '../support/wechat-api';

const LONE = 'abc\ud800';
const LONE_LOW = '\udc00xyz';

let emulator: TestEmulator;
let api: ReturnType<typeof wechatApi>;
/** What the functions logged (a WeChat outage is `[error] WeChat call failed…`, shared/log.ts). */
const logged = () => emulator.output.functionLines();
beforeAll(async () => {
  emulator = await startTestEmulator();
  api = wechatApi(emulator);
});
afterAll(async () => {
  await emulator.close();
});

describe('wechat', () => {
  it.each([LONE, LONE_LOW])('login over HTTP with users_wx_code %j answers 400, calls WeChat not at all and logs no outage', async (code) => {
    const before = await api.wechatCalls();
    const res = await api.http('login', { users_wx_code: code });
    expect(res.status).toBe(400);
    expect(res.body.msg).toMatch(/^users_wx_code must be well-formed text/);
    expect((await api.wechatCalls())['/sns/jscode2session'] ?? 0).toBe(before['/sns/jscode2session'] ?? 0);
    expect(logged().filter((l) => /WeChat call failed/.test(l))).toEqual([]);
  });

  it('login through callFunction, profile and refresh-token code answer 400 too', async () => {
    expect((await api.call('login', { users_wx_code: LONE }, 'o_wft_cf')).status).toBe(400);
    const { token } = await api.login('o_wft_profile');
    expect((await api.http('profile', { ...(await api.profileFields('13900009999')), users_name: LONE }, { token })).status).toBe(400);
    expect((await api.http('refreshToken', { users_wx_code: LONE })).status).toBe(400);
    expect(await api.userDoc('o_wft_profile')).not.toHaveProperty('phone');
  });

  it('a lone surrogate in a property name is refused as well', async () => {
    const res = await emulator.post<WechatBody>(ROUTES.login, `{"users_wx_code":"x","\\ud800":1}`);
    expect(res.status).toBe(400);
  });
});

describe('user, common, backdb', () => {
  it('user.addHistory and user.update answer -1 and store nothing', async () => {
    await emulator.callFunction('common', { name: 'login' }, 'o_wft_user');
    const add = await emulator.callFunction<{ code: number; data: unknown }>('user', { name: 'addHistory', hist: LONE }, 'o_wft_user');
    expect(add.body.result).toMatchObject({ code: -1, data: [] });
    const history = await emulator.callFunction<{ code: number; data: unknown[] }>('user', { name: 'getHistory' }, 'o_wft_user');
    expect(history.body.result?.data).toEqual([]);
    const update = await emulator.callFunction<{ code: number }>('user', { name: 'update', update: { nick_name: LONE } }, 'o_wft_user');
    expect(update.body.result?.code).toBe(-1);
    // `update` as a JSON string (seed 001): the escape \ud800 is ASCII text until it is parsed.
    const asString = await emulator.callFunction<{ code: number }>('user', { name: 'update', update: '{"nick_name":"abc\\ud800"}' }, 'o_wft_user');
    expect(asString.body.result?.code).toBe(-1);
    expect((await emulator.context.store.find('users', { openid: 'o_wft_user' }))[0]).not.toHaveProperty('nickname');
  });

  it('common.setUserInfo is rejected with INVALID_PARAMS', async () => {
    await emulator.callFunction('common', { name: 'login' }, 'o_wft_common');
    const res = await emulator.callFunction('common', { name: 'setUserInfo', data: { nickname: LONE, avatarUrl: 'https://img.example.com/a.png' } }, 'o_wft_common');
    expect(res.status).not.toBe(200);
    expect(res.body.errMsg).toMatch(/INVALID_PARAMS: nickname must be well-formed text/);
  });

  it('backdb.createJob from a server-side caller is rejected with INVALID_PARAMS and starts nothing', async () => {
    const jobs = emulator.context.wechat.jobs.size;
    const res = await emulator.callFunction('backdb', { name: 'createJob', data: { collection: `users${LONE}` } });
    expect(res.body.errMsg).toMatch(/INVALID_PARAMS: collection must be well-formed text/);
    expect(emulator.context.wechat.jobs.size).toBe(jobs);
  });

  it('well-formed text outside the BMP (a surrogate pair) is accepted', async () => {
    await emulator.callFunction('common', { name: 'login' }, 'o_wft_pair');
    const add = await emulator.callFunction<{ code: number; data: string[] }>('user', { name: 'addHistory', hist: 'coffee ☕ 𝄞' }, 'o_wft_pair');
    expect(add.body.result).toMatchObject({ code: 0, data: ['coffee ☕ 𝄞'] });
  });
});
