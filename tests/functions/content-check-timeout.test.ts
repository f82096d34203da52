// A content check that gets no answer in time refuses the save (docs/cloud-calls.md: the check
// failing is never "save unchecked"). CONTENT_CHECK_TIMEOUT_MS is far below the stand-in's injected
// delay, and the HTTP client's own timeout far above the wechat function's 15 s limit, so only the
// content check's timer can answer 500 (the function timing out would be 502); nothing measures time.
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { wechatApi } from '../support/wechat-api';

let emulator: TestEmulator;
let wechat: ReturnType<typeof wechatApi>;
beforeAll(async () => {
  emulator = await startTestEmulator({ functionEnv: { CONTENT_CHECK_TIMEOUT_MS: '100', WECHAT_HTTP_TIMEOUT_MS: '120000' } });
  wechat = wechatApi(emulator);
});
afterAll(async () => {
  await emulator.close();
  // The wechat function logs the timed-out check (shared/log.ts), and no other WeChat failure.
  const failures = emulator.output.functionLines().filter((l) => /\[error\] WeChat call failed/.test(l));
  expect(failures).not.toHaveLength(0);
  expect(failures.filter((l) => !/\[error\] WeChat call failed: AppError \| UPSTREAM \| WeChat content security timed out/.test(l))).toEqual([]);
});

it('wechat profile over HTTP access answers 500 and saves nothing when msg_sec_check does not answer in time', async () => {
  const { token } = await wechat.login('o_cc_slow');
  await emulator.post('/_emulator/wechat/faults', { path: '/wxa/msg_sec_check', kind: 'delay', delayMs: 30_000 });
  const res = await wechat.setProfile(token, '13800000931', 'Kate');
  expect(res.status).toBe(500);
  expect(await wechat.userDoc('o_cc_slow')).not.toHaveProperty('nickname');
});
