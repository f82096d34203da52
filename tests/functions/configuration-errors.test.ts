// A function deployed without one of its variables (issue 23: WeChat DevTools uploads do not apply
// cloudbaserc.json's envVariables) answers a configuration error naming the variable, in its own
// seed's shape, instead of a bare "internal error" — and never shows the value of one. Each also
// logs it, as shared/log.ts writes an unexpected failure: `[error] <event> failed: AppError | CONFIGURATION | <message>`.
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { waitFor } from '../support/wait-for';

let emulator: TestEmulator;
beforeAll(async () => {
  // Empty values: as if the variables had never been set in the function's configuration.
  emulator = await startTestEmulator({ functionEnv: { WECHAT_APPID: '', TOKEN_SECRET: '' } });
});
afterAll(() => emulator.close());

const NAMES = (name: string) => new RegExp(`configuration error: ${name} is not set; set it in the function's configuration \\(docs/deploy\\.md\\)`);
const logged = (event: string) => waitFor(`the logged configuration error of ${event}`, () => emulator.output.functionLines().find((l) => l.startsWith(`[error] ${event} failed: AppError | CONFIGURATION | `)));

it('wechat over HTTP access: 500 naming WECHAT_APPID (seed 004 ErrorResponse)', async () => {
  const res = await emulator.post<{ code: number; msg: string; data: object }>('/pb/api/wechat/login', { users_wx_code: 'any' });
  expect(res.status).toBe(500);
  expect(res.body).toEqual({ code: 500, msg: expect.stringMatching(NAMES('WECHAT_APPID')), data: {} });
  expect(await logged('login')).toMatch(NAMES('WECHAT_APPID'));
});

it('wechat: a Bearer token to check without TOKEN_SECRET is 500 naming TOKEN_SECRET', async () => {
  const res = await emulator.post<{ code: number; msg: string }>('/pb/api/system/refresh-token', {}, { authorization: 'Bearer a.b.c' });
  expect(res.body).toMatchObject({ code: 500, msg: expect.stringMatching(NAMES('TOKEN_SECRET')) });
  expect(await logged('refreshToken')).toMatch(NAMES('TOKEN_SECRET'));
});

it('user.getOpenid: code -2 naming WECHAT_APPID (seeds 001/002: -2 other error, details in msg)', async () => {
  const res = await emulator.callFunction('user', { name: 'getOpenid', js_code: 'any' }, 'o_cfg');
  expect(res.body.result).toEqual({ code: -2, msg: expect.stringMatching(NAMES('WECHAT_APPID')), data: [] });
  expect(await logged('getOpenid')).toMatch(NAMES('WECHAT_APPID'));
});

it('backdb.createAllJob: the call rejects with CONFIGURATION naming WECHAT_APPID (seed 000 shape)', async () => {
  const res = await emulator.callFunction('backdb', { name: 'createAllJob' });
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.body.errMsg).toMatch(/CONFIGURATION: configuration error: WECHAT_APPID is not set/);
  expect(await logged('createAllJob')).toMatch(NAMES('WECHAT_APPID'));
});
