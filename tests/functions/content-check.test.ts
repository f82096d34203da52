// The backend checks nicknames with WeChat content security (msgSecCheck v2, scene 1, the user's
// openid) before saving them, on each path: common.setUserInfo, user.update (and user.login's
// registration), wechat profile as a mini-program user (cloud call) and over HTTP access (HTTPS
// /wxa/msg_sec_check with the access token). Policy from docs/cloud-calls.md: pass saved; review
// saved with the label recorded; risky refused, nothing saved; the check failing refused.
// The word list is the emulator's (configured here through /_emulator/openapi), so the verdicts
// are the test's choice; the errors are the seeds' shapes: common rejects with the code first
// (seed 000), user answers -1 "提交的参数非法" (seed 001), wechat answers 400 (seed 004).
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { userApi } from '../support/user-api';
import { wechatApi } from '../support/wechat-api';

let emulator: TestEmulator;
let users: ReturnType<typeof userApi>;
let wechat: ReturnType<typeof wechatApi>;

const RISKY = 'badname-xyz';
const REVIEW = 'checkme-xyz';

beforeAll(async () => {
  emulator = await startTestEmulator();
  users = userApi(emulator);
  wechat = wechatApi(emulator);
  const put = await fetch(`${emulator.url}/_emulator/openapi/content-security/words`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ words: [{ word: RISKY, suggest: 'risky', label: 20003 }, { word: REVIEW, suggest: 'review', label: 10001 }] }),
  });
  expect(put.status).toBe(200);
});
afterAll(() => emulator.close());

const faultCloudCall = (kind: 'errcode' | 'timeout') => emulator.post('/_emulator/openapi/faults', { api: 'security.msgSecCheck', kind, errcode: -1 });
const faultHttps = () => emulator.post('/_emulator/wechat/faults', { path: '/wxa/msg_sec_check', kind: 'http500' });
const cloudCallsLogged = async (openid: string) =>
  ((await (await fetch(`${emulator.url}/_emulator/logs`)).json()) as Array<{ kind?: string; eventName: string; caller: string }>).filter((r) => r.kind === 'cloud-call' && r.eventName === 'security.msgSecCheck' && r.caller.includes(openid));

describe('common.setUserInfo', () => {
  const OPENID = 'o_cc_common';
  const setName = (nickname: string) => emulator.callFunction('common', { name: 'setUserInfo', data: { nickname, avatarUrl: 'https://img.example.com/a.png' } }, OPENID);
  const stored = async () => (await users.userDoc(OPENID)) as Record<string, unknown>;
  beforeAll(async () => {
    expect((await emulator.callFunction('common', { name: 'login' }, OPENID)).status).toBe(200);
  });

  it('saves a nickname that passes, checked by a cloud call with the user as caller', async () => {
    expect((await setName('Alice')).status).toBe(200);
    expect(await stored()).toMatchObject({ nickname: 'Alice' });
    expect((await stored()).nicknameReview).toBeUndefined();
    expect((await cloudCallsLogged(OPENID)).length).toBeGreaterThan(0);
  });

  it('refuses a risky nickname with CONTENT_RISKY and saves nothing', async () => {
    const res = await setName(`I am ${RISKY}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.errMsg).toMatch(/CONTENT_RISKY: nickname is not allowed/);
    expect(await stored()).toMatchObject({ nickname: 'Alice' });
  });

  it('saves a nickname WeChat wants reviewed, with the label recorded, and clears it on the next pass', async () => {
    expect((await setName(`Bob ${REVIEW}`)).status).toBe(200);
    expect(await stored()).toMatchObject({ nickname: `Bob ${REVIEW}`, nicknameReview: { label: 10001 } });
    expect((await setName('Bob')).status).toBe(200);
    expect((await stored()).nicknameReview).toBeUndefined();
  });

  it('refuses the save when the check fails (WeChat errcode, platform timeout)', async () => {
    for (const kind of ['errcode', 'timeout'] as const) {
      await faultCloudCall(kind);
      const res = await setName('Carol');
      expect(res.body.errMsg).toMatch(/UPSTREAM/);
      expect(await stored()).toMatchObject({ nickname: 'Bob' });
    }
  });
});

describe('user.update', () => {
  const OPENID = 'o_cc_user';
  const update = (nick: string) => users.call('update', { openid: OPENID, update: JSON.stringify({ nick_name: nick, qq: '123' }) }, OPENID);
  beforeAll(async () => {
    await users.register(OPENID, { phone: '13800000901' });
  });

  it('saves a nickname that passes', async () => {
    expect(await update('Dora')).toEqual({ code: 0, msg: 'success', data: [] });
    expect(await users.userDoc(OPENID)).toMatchObject({ nickname: 'Dora', qq: '123' });
  });

  it('answers -1 for a risky nickname and saves none of the update', async () => {
    const res = await users.call('update', { openid: OPENID, update: JSON.stringify({ nick_name: RISKY, qq: '999' }) }, OPENID);
    expect(res).toMatchObject({ code: -1, data: [] });
    expect(res.msg).toMatch(/nick_name is not allowed/);
    expect(await users.userDoc(OPENID)).toMatchObject({ nickname: 'Dora', qq: '123' });
  });

  it('saves a review nickname with the label recorded', async () => {
    expect(await update(`Eve ${REVIEW}`)).toMatchObject({ code: 0 });
    expect(await users.userDoc(OPENID)).toMatchObject({ nickname: `Eve ${REVIEW}`, nicknameReview: { label: 10001 } });
  });

  it('answers -2 and saves nothing when the check fails', async () => {
    await faultCloudCall('errcode');
    expect(await update('Fay')).toMatchObject({ code: -2 });
    expect(await users.userDoc(OPENID)).toMatchObject({ nickname: `Eve ${REVIEW}` });
  });

  it('refuses a risky nickname at registration (user.login) and registers no one', async () => {
    const res = await users.call('login', { openid: 'o_cc_newcomer', phone: '13800000902', nick_name: RISKY }, 'o_cc_newcomer');
    expect(res).toMatchObject({ code: -1 });
    expect(await users.usersWith('o_cc_newcomer')).toHaveLength(0);
  });
});

describe('wechat profile', () => {
  describe('as a mini-program user (cloud call)', () => {
    const OPENID = 'o_cc_wx_user';
    let token: string;
    beforeAll(async () => {
      ({ token } = await wechat.login(OPENID));
    });
    const profile = async (name: string, phone: string) => wechat.call('profile', { ...(await wechat.profileFields(phone, name)), token }, OPENID);

    it('saves a name that passes, checked by a cloud call', async () => {
      const res = await profile('Gina', '13800000911');
      expect(res.status).toBe(200);
      expect(await wechat.userDoc(OPENID)).toMatchObject({ nickname: 'Gina' });
      expect((await cloudCallsLogged(OPENID)).length).toBeGreaterThan(0);
    });

    it('answers 400 "not allowed" for a risky name and saves nothing', async () => {
      const res = await profile(RISKY, '13800000912');
      expect(res.status).toBe(400);
      expect(res.body.msg).toMatch(/users_name is not allowed/);
      expect(await wechat.userDoc(OPENID)).toMatchObject({ nickname: 'Gina', phone: '13800000911' });
    });
  });

  describe('over HTTP access (HTTPS msg_sec_check with the access token)', () => {
    const OPENID = 'o_cc_wx_http';
    let token: string;
    beforeAll(async () => {
      ({ token } = await wechat.login(OPENID));
    });
    const httpsChecks = async () => ((await (await fetch(`${emulator.url}/_emulator/wechat/state`)).json()) as { calls: Record<string, number> }).calls['/wxa/msg_sec_check'] ?? 0;

    it('saves a name that passes, checked over HTTPS and not by a cloud call', async () => {
      const before = await httpsChecks();
      const res = await wechat.setProfile(token, '13800000921', 'Hana');
      expect(res.status).toBe(200);
      expect(await httpsChecks()).toBe(before + 1);
      expect(await cloudCallsLogged(OPENID)).toHaveLength(0);
      expect(await wechat.userDoc(OPENID)).toMatchObject({ nickname: 'Hana' });
    });

    it('answers 400 for a risky name, saves nothing and keeps the phone code unspent', async () => {
      const fields = await wechat.profileFields('13800000922', `x${RISKY}`);
      const res = await wechat.http('profile', fields, { token });
      expect(res.status).toBe(400);
      expect(res.body.msg).toMatch(/not allowed/);
      expect(await wechat.userDoc(OPENID)).toMatchObject({ nickname: 'Hana', phone: '13800000921' });
      // The phone code was not redeemed: the same request with a clean name succeeds.
      expect((await wechat.http('profile', { ...fields, users_name: 'Hana2' }, { token })).status).toBe(200);
    });

    it('saves a review name with the label recorded', async () => {
      expect((await wechat.setProfile(token, '13800000923', `Iris ${REVIEW}`)).status).toBe(200);
      expect(await wechat.userDoc(OPENID)).toMatchObject({ nickname: `Iris ${REVIEW}`, nicknameReview: { label: 10001 } });
    });

    it('answers 500 and saves nothing when WeChat is down', async () => {
      await faultHttps();
      const res = await wechat.setProfile(token, '13800000924', 'Jade');
      expect(res.status).toBe(500);
      expect(await wechat.userDoc(OPENID)).toMatchObject({ nickname: `Iris ${REVIEW}` });
    });
  });
});
