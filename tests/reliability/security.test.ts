// Reliability under attack: Mallory (a signed-in user) tries to act as Victim through every API —
// payload openid/uid/user_id naming Victim, Victim's wx.login code, forged wechat tokens (changed
// payload, wrong key, alg none, another algorithm, expired, revoked by user.logout), backups
// without the backdb feature, an end user passing access_token. None of it succeeds or changes
// anything. Then no secret (app secret, token secret, issued WeChat access tokens, session keys)
// appears in any answer of the whole file or in any log line: the test process's console, the
// function instances' output, the emulator's own reports, and the invocation records.
import { createHmac, randomUUID } from 'node:crypto';
import { formatLine, type InvocationRecord } from '../../emulator/runner/invocation-log';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { ROUTES, type WechatBody } from '../support/wechat-api';
import { Tally, dataWrites } from './support';
import { jwtSub } from '../support/jwt';
import { grantBackdb } from '../support/backdb-permission';
import { captureOutput, type CapturedOutput } from '../support/output-capture';

const VICTIM = 'o_sec_victim';
const MALLORY = 'o_sec_mallory';
const ADMIN = 'o_sec_admin';
const tally = new Tally();
let emulator: TestEmulator;
let writes: () => number;
const answers: string[] = [];
let output: CapturedOutput;
const records: InvocationRecord[] = [];
let victim: { _id: string; id: number; token: string };
let mallory: { _id: string; id: number; token: string };

const call = async <T = unknown>(fn: string, event: Record<string, unknown>, openid?: string) => {
  const res = await emulator.callFunction<T>(fn, event, openid);
  answers.push(JSON.stringify(res.body));
  return res;
};
const http = async (route: string, body: unknown, token?: string) => {
  const res = await emulator.post<WechatBody>(route, body, token === undefined ? {} : { authorization: `Bearer ${token}` });
  answers.push(JSON.stringify(res.body));
  return res;
};
const doc = async (openid: string) => (await emulator.context.store.find('users', { openid }))[0] as Record<string, unknown> & { _id: string; id: number };
const everything = async () => JSON.stringify(await Promise.all(['users', 'phone_claims', 'permissions', 'backdb', 'counters'].map((c) => emulator.context.store.find(c, {}))));

async function signIn(openid: string, phone: string) {
  const token = (await http(ROUTES.login, { users_wx_code: await emulator.loginCode(openid) })).body.token as string;
  await http(ROUTES.profile, { users_name: openid, users_phone_code: await emulator.phoneCode(phone), users_picture: 'https://img.example.com/p.png' }, token);
  await call('user', { name: 'addHistory', hist: `${openid} private search` }, openid);
  return { ...(await doc(openid)), token };
}

beforeAll(async () => {
  output = captureOutput(); // every line written to this process's console or stdout/stderr
  emulator = await startTestEmulator();
  emulator.context.log.on('record', (r: InvocationRecord) => records.push(r));
  writes = dataWrites(emulator.context.store);
  victim = await signIn(VICTIM, '13600000001');
  mallory = await signIn(MALLORY, '13600000002');
  await call('common', { name: 'login' }, ADMIN);
  await grantBackdb(emulator.context.store, ADMIN);
});
afterAll(async () => {
  const lost = tally.save();
  await emulator?.close();
  output?.restore();
  // lost: attempts after which someone's data had changed; failures: attempts that were not refused.
  expect({ lost, failures: tally.failures() }).toEqual({ lost: 0, failures: [] });
});

/**
 * Runs an attempt and checks it came to nothing: refused (or acting on the caller only, as
 * `ownAnswer` says) with nothing written and nothing of anyone's changed.
 */
async function attempt(category: string, run: () => Promise<{ refused: boolean; ownAnswer?: boolean }>): Promise<void> {
  const [before, victimBefore, count] = [await everything(), JSON.stringify(await doc(VICTIM)), writes()];
  const { refused, ownAnswer = false } = await run();
  const unchanged = refused ? (await everything()) === before && writes() === count : JSON.stringify(await doc(VICTIM)) === victimBefore;
  tally.count(category, { passed: (refused || ownAnswer) && unchanged, lost: unchanged ? 0 : 1 });
  expect({ refusedOrOwn: refused || ownAnswer, unchanged }).toEqual({ refusedOrOwn: true, unchanged: true });
}

describe('naming another user in the payload', () => {
  const USER_CALLS: Array<[string, Record<string, unknown>]> = [
    ['login', { phone: '13600000009' }], ['loginByOpenid', {}], ['get', {}], ['update', { update: { nick_name: 'pwned' } }],
    ['logout', {}], ['addHistory', { hist: 'planted' }], ['getHistory', {}], ['cleanHistory', {}],
  ];
  const targets = () => [{ openid: VICTIM }, { user_id: victim.id }, { user_id: String(victim.id) }];

  it.each(USER_CALLS)('user.%s naming Victim by openid or user_id (top level or under data) is refused with -1', async (name, extra) => {
    for (const target of targets()) {
      for (const event of [{ name, ...extra, ...target }, { name, data: { ...extra, ...target } }]) {
        await attempt('security: user.* impersonation', async () => {
          const res = await call<{ code: number; data: unknown }>('user', event, MALLORY);
          return { refused: res.body.result?.code === -1 && JSON.stringify(res.body.result?.data) === '[]' };
        });
      }
    }
  });

  it("user.getOpenid with Victim's wx.login code is refused and does not reveal Victim's openid", async () => {
    await attempt('security: user.* impersonation', async () => {
      const res = await call<{ code: number }>('user', { name: 'getOpenid', js_code: await emulator.loginCode(VICTIM) }, MALLORY);
      return { refused: res.body.result?.code === -1 && !JSON.stringify(res.body).includes(VICTIM) };
    });
  });

  it.each(['_id', 'id', 'numeric string'])("common.setUserInfo with Victim's uid (%s) is refused with INVALID_PARAMS", async (kind) => {
    const uid = kind === '_id' ? victim._id : kind === 'id' ? victim.id : String(victim.id);
    await attempt('security: common impersonation', async () => {
      const res = await call('common', { name: 'setUserInfo', data: { uid, nickname: 'pwned', avatarUrl: 'https://evil.example/x.png' } }, MALLORY);
      return { refused: res.status !== 200 && /INVALID_PARAMS: uid must be your own/.test(res.body.errMsg ?? '') };
    });
  });

  it.each(['login', 'auth'])('common.%s ignores an openid in the payload and answers about the caller', async (name) => {
    await attempt('security: common impersonation', async () => {
      const res = await call<{ openid?: string }>('common', { name, data: { openid: VICTIM, uid: victim._id } }, MALLORY);
      return { refused: false, ownAnswer: res.status === 200 && !JSON.stringify(res.body).includes(VICTIM) };
    });
  });

  it("wechat login through callFunction with Victim's code is refused with 401 and no token", async () => {
    await attempt('security: wechat impersonation', async () => {
      const res = await call<WechatBody>('wechat', { name: 'login', data: { users_wx_code: await emulator.loginCode(VICTIM) } }, MALLORY);
      return { refused: res.body.result?.code === 401 && res.body.result.token === undefined };
    });
  });

  it("wechat refreshToken and profile through callFunction act on the caller, whatever code or openid the payload names", async () => {
    await attempt('security: wechat impersonation', async () => {
      const res = await call<WechatBody>('wechat', { name: 'refreshToken', data: { users_wx_code: await emulator.loginCode(VICTIM), openid: VICTIM } }, MALLORY);
      return { refused: false, ownAnswer: res.body.result?.code === 200 && jwtSub(res.body.result.token as string | undefined) === mallory._id };
    });
    await attempt('security: wechat impersonation', async () => {
      const data = { openid: VICTIM, pb_id: victim._id, users_name: 'pwned', users_phone_code: await emulator.phoneCode('13600000555'), users_picture: 'https://evil.example/x.png' };
      const res = await call<WechatBody>('wechat', { name: 'profile', data }, MALLORY);
      return { refused: false, ownAnswer: res.body.result?.code === 200 && res.body.result.data.user?.openid === MALLORY };
    });
  });
});

describe('a forged wechat token', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const claims = (over: object = {}) => ({ sub: victim._id, ver: 0, iss: 'cloudbase-miniprogram-backend', jti: randomUUID(), iat: now(), exp: now() + 3600, ...over });
  const sign = (header: object, payload: object, secret: string, hash = 'sha256') => {
    const data = `${b64(header)}.${b64(payload)}`;
    return `${data}.${createHmac(hash, secret).update(data).digest('base64url')}`;
  };
  const FORGERIES: Array<[string, () => Promise<string> | string]> = [
    ["Mallory's token with the payload changed to Victim", () => mallory.token.replace(/\.[^.]+\./, `.${b64({ ...JSON.parse(Buffer.from(mallory.token.split('.')[1] as string, 'base64url').toString()), sub: victim._id })}.`)],
    ['signed with another key', () => sign({ alg: 'HS256', typ: 'JWT' }, claims(), 'not-the-token-secret-of-this-env')],
    ['alg "none" without a signature', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    ['HS512 with the real key', () => sign({ alg: 'HS512', typ: 'JWT' }, claims(), emulator.secrets.tokenSecret, 'sha512')],
    ['expired (real key)', () => sign({ alg: 'HS256', typ: 'JWT' }, claims({ iat: now() - 7200, exp: now() - 3600 }), emulator.secrets.tokenSecret)],
    ['revoked by user.logout', async () => {
      const stolen = (await http(ROUTES.login, { users_wx_code: await emulator.loginCode(VICTIM) })).body.token as string;
      expect((await call<{ code: number }>('user', { name: 'logout' }, VICTIM)).body.result?.code).toBe(0);
      return stolen;
    }],
  ];

  it.each(FORGERIES)('%s is refused with 401 on profile and on refresh-token, changing nothing', async (_, forge) => {
    const token = await forge();
    await attempt('security: wechat forged tokens', async () => {
      const fields = { users_name: 'pwned', users_phone_code: await emulator.phoneCode('13600000666'), users_picture: 'https://evil.example/x.png' };
      const profile = await http(ROUTES.profile, fields, token);
      const refresh = await http(ROUTES.refreshToken, {}, token);
      return { refused: profile.status === 401 && refresh.status === 401 && refresh.body.token === undefined };
    });
  });

  it("with Mallory's own wx.login code yields a token for Mallory only", async () => {
    await attempt('security: wechat forged tokens', async () => {
      const res = await http(ROUTES.refreshToken, { users_wx_code: await emulator.loginCode(MALLORY) }, `${b64({ alg: 'none' })}.${b64(claims())}.`);
      return { refused: false, ownAnswer: res.status === 200 && jwtSub(res.body.token as string | undefined) === mallory._id };
    });
  });
});

describe('backups', () => {
  const CALLS: Array<[string, Record<string, unknown>]> = [
    ['createAllJob', {}], ['createJob', { collection: 'users' }], ['getJobUrl', { job_id: 1 }], ['listJobs', {}], ['restoreJob', { job_id: 1, collection: 'users', mode: 'upsert' }],
  ];
  // A made-up token: a real one would be put into the invocation log by the test's own hand.
  const FAKE_ACCESS_TOKEN = `AT_${'f'.repeat(48)}`;

  it.each(CALLS)('backdb.%s by a user without the backdb feature is FORBIDDEN and starts nothing', async (name, data) => {
    const jobs = emulator.context.wechat.jobs.size;
    await attempt('security: backdb without the feature', async () => {
      const res = await call('backdb', { name, data }, MALLORY);
      return { refused: res.status !== 200 && /FORBIDDEN: /.test(res.body.errMsg ?? '') && emulator.context.wechat.jobs.size === jobs };
    });
  });

  it.each(CALLS.filter(([n]) => n !== 'listJobs'))('backdb.%s with an access_token from an end user (granted or not) is FORBIDDEN', async (name, data) => {
    for (const who of [ADMIN, MALLORY]) {
      await attempt('security: backdb access_token from a user', async () => {
        const res = await call('backdb', { name, data: { ...data, access_token: FAKE_ACCESS_TOKEN } }, who);
        return { refused: res.status !== 200 && /FORBIDDEN: /.test(res.body.errMsg ?? '') };
      });
    }
  });
});

describe('an event dressed as another trigger (issue 11 item 1)', () => {
  // Through callFunction the event is whatever the client sends; who calls and what triggered the
  // run come only from what CloudBase injects (getWXContext(): OPENID, SOURCE; the gateway's
  // TCB_SOURCE_IP for HTTP access — see shared/router/caller.ts for the sources).
  const DISGUISES: Array<[string, () => Promise<Record<string, unknown>>]> = [
    // The attack from the report: an HTTP-access event carrying Victim's wx.login code and a chosen IP.
    ['an HTTP-access request with Victim\'s code, token and a chosen IP', async () => ({
      httpMethod: 'POST', path: ROUTES.login, isBase64Encoded: false, queryStringParameters: {},
      headers: { 'content-type': 'application/json', 'x-real-ip': '6.6.6.6', 'x-forwarded-for': '6.6.6.6', authorization: `Bearer ${victim.token}` },
      requestContext: { requestId: 'r', envId: emulator.context.envId, appId: 0, uin: 0, sourceIp: '6.6.6.6' },
      body: JSON.stringify({ users_wx_code: await emulator.loginCode(VICTIM) }),
    })],
    // CloudBase's timer event (Tencent SCF timer trigger: Type, TriggerName, Time).
    ['a timer event', async () => ({ Type: 'Timer', TriggerName: 'weeklyBackup', Time: '2026-01-05T20:00:00Z' })],
    // The userInfo the platform adds to a mini-program event, naming Victim.
    ['userInfo naming Victim', async () => ({ userInfo: { openId: VICTIM, appId: 'wx-emulator-appid' } })],
    // The platform's own variable names as event fields.
    ['platform variables', async () => ({ WX_OPENID: VICTIM, OPENID: VICTIM, SOURCE: 'wx_trigger', TCB_SOURCE: 'wx_trigger', TCB_CONTEXT_KEYS: 'TCB_SOURCE_IP', TCB_SOURCE_IP: '6.6.6.6' })],
  ];
  const sub = jwtSub;
  /** Per function, a call whose answer says who the caller is; the disguise is merged into its event. */
  const WHO_AM_I: Array<[string, Record<string, unknown>, (res: Awaited<ReturnType<typeof call>>) => boolean]> = [
    ['common', { name: 'login' }, (res) => (res.body.result as { openid?: string } | undefined)?.openid === MALLORY],
    ['user', { name: 'get' }, (res) => (res.body.result as { code?: number; data?: { openid?: string } } | undefined)?.data?.openid === MALLORY],
    ['wechat', { name: 'refreshToken' }, (res) => { const r = res.body.result as WechatBody | undefined; return r?.code === 200 && sub(r.token) === mallory._id; }],
    // Mallory has no backdb feature: a server-side or timer caller would be let through.
    ['backdb', { name: 'listJobs' }, (res) => res.status !== 200 && /FORBIDDEN: /.test(res.body.errMsg ?? '')],
  ];

  for (const [fn, event, isMallory] of WHO_AM_I) {
    it.each(DISGUISES)(`${fn}: %s still answers Mallory, as Mallory`, async (_, disguise) => {
      await attempt(`security: trigger disguise (${fn})`, async () => {
        const res = await call(fn, { ...(await disguise()), ...event }, MALLORY);
        return { refused: false, ownAnswer: isMallory(res) && !JSON.stringify(res.body).includes(victim._id) };
      });
    });
  }

  it.each(['backdb', 'common', 'user', 'wechat'])('%s: a bare HTTP-access or timer event from a user runs nothing and issues no token', async (fn) => {
    for (const [, disguise] of DISGUISES.slice(0, 2)) {
      const jobs = emulator.context.wechat.jobs.size;
      await attempt(`security: trigger disguise (${fn})`, async () => {
        const res = await call(fn, await disguise(), MALLORY);
        const text = JSON.stringify(res.body);
        // No handler name: the router's unknown-name answer in the function's shape.
        const unknown = /UNKNOWN_ACTION|unknown name/.test(text);
        return { refused: unknown && !/"token"/.test(text) && emulator.context.wechat.jobs.size === jobs };
      });
    }
  });
});

describe('the client address used for per-IP limits (issue 11 item 1)', () => {
  // A fresh emulator per test: both tests' requests come from 127.0.0.1.
  let limited: TestEmulator;
  beforeEach(async () => {
    limited = await startTestEmulator({ functionEnv: { RATE_LIMIT_PER_IP: '2', RATE_LIMIT_WINDOW_SECONDS: '86400' } });
  });
  afterEach(async () => limited?.close());

  it('over HTTP access comes from the gateway, not from x-real-ip or x-forwarded-for the client sets', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const spoof = `6.6.6.${i}`;
      const res = await limited.post<WechatBody>(ROUTES.login, { users_wx_code: await limited.loginCode(`o_sec_ip_${i}`) }, { 'x-real-ip': spoof, 'x-forwarded-for': spoof });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('through callFunction comes from the WeChat context, not from an HTTP-looking event', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const openid = `o_sec_ipcf_${i}`;
      const event = { name: 'login', data: { users_wx_code: await limited.loginCode(openid) }, httpMethod: 'POST', path: ROUTES.login, headers: { 'x-real-ip': `7.7.7.${i}` } };
      const res = await limited.callFunction<WechatBody>('wechat', event, openid);
      statuses.push(res.body.result?.code ?? res.status);
    }
    // Each caller's address (127.0.0.1, the emulator's CLIENTIP) is the same: the third is over the limit.
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('secrets', () => {
  it('make WeChat and the functions log their failures (a wrong app secret, an unreachable WeChat)', async () => {
    for (const f of [{ kind: 'errcode', errcode: 40125 }, { kind: 'http500' }, { kind: 'drop' }]) {
      await emulator.post('/_emulator/wechat/faults', { path: '/sns/jscode2session', ...f });
      expect((await http(ROUTES.login, { users_wx_code: await emulator.loginCode('o_sec_logs') })).status).toBe(500);
    }
    await emulator.post('/_emulator/wechat/expire-access-tokens', {});
    await emulator.post('/_emulator/wechat/faults', { path: '/cgi-bin/stable_token', kind: 'errcode', errcode: 40125 });
    expect((await http(ROUTES.profile, { users_name: 'x', users_phone_code: await emulator.phoneCode('13600000777'), users_picture: 'https://img.example.com/p.png' }, mallory.token)).status).toBe(500);
    expect((await call<{ code: number }>('user', { name: 'getOpenid', js_code: await emulator.loginCode(MALLORY) }, MALLORY)).body.result?.code).toBe(0);
  });

  it('never appear in an answer of this file, a console or instance log line, or an invocation record', async () => {
    const issued = [...emulator.context.wechat.tokens.keys(), ...(await emulator.context.store.find('wechat_tokens', {})).map((t) => String(t.accessToken))];
    const sessionKeys = [...emulator.context.wechat.loginCodes.keys()].map((code) => `sk_${code.slice(-16)}`);
    const secrets = [emulator.secrets.appSecret, emulator.secrets.tokenSecret, ...issued, ...sessionKeys];
    expect(issued.length).toBeGreaterThan(0);
    const places: Array<[string, string[]]> = [
      ['answers', answers],
      ['log lines', [...output.lines, ...emulator.output.all()]],
      ['invocation records', records.map((r) => `${formatLine(r)} ${JSON.stringify({ event: r.event, result: r.result, error: r.error })}`)],
    ];
    const found: string[] = [];
    for (const [place, texts] of places) {
      for (const text of texts) {
        const leaked = secrets.filter((s) => text.includes(s)).concat(/\bsk_[0-9a-f]{16}\b/.test(text) ? ['a session key'] : []);
        tally.count(`security: secrets in ${place}`, { passed: leaked.length === 0 });
        if (leaked.length) found.push(`${place}: ${text.slice(0, 200)}`);
      }
    }
    expect(records.length).toBeGreaterThan(50);
    expect(emulator.output.functionLines().some((l) => l.includes('WeChat call failed'))).toBe(true);
    expect(found).toEqual([]);
  });
});
