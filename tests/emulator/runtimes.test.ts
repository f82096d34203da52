// Each function runs on the Node.js its runtime names (`NodejsX.Y` → Node.js X.Y.0), in a process
// per instance, as on CloudBase (docs.cloudbase.net "cloud-function/runtime-support"; the runtime
// is the one in cloudbaserc.json or a fixture's config.json). So code that needs an API a declared
// runtime lacks fails here as it would in the cloud: globalThis.crypto is a global from Node.js
// 19.0.0 on only (nodejs/node#42083), and jose 6 signs the wechat tokens with it.
import type { NodeRuntime } from '../../scripts/lib/runtimes';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { buildOnRuntime } from '../support/runtime-build';
import { wechatApi } from '../support/wechat-api';

jest.setTimeout(60_000);

type Listed = { name: string; runtime: string; node: string; isolation: string; runtimeFallback?: string };
const listed = async (emulator: TestEmulator) => (await (await fetch(`${emulator.url}/_emulator/functions`)).json()) as Listed[];

describe('functions on their declared runtimes', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.close());

  it('lists each function with its runtime and the Node.js its instances really run on', async () => {
    const functions = await listed(emulator);
    const of = (name: string) => functions.find((f) => f.name === name);
    expect(of('webCryptoOn18')).toMatchObject({ runtime: 'Nodejs18.15', node: '18.15.0', isolation: 'process' });
    expect(of('webCryptoOn20')).toMatchObject({ runtime: 'Nodejs20.19', node: '20.19.0', isolation: 'process' });
    // cloudbaserc.json declares the production functions' runtime.
    expect(of('wechat')).toMatchObject({ runtime: 'Nodejs20.19', node: '20.19.0', isolation: 'process' });
    for (const f of functions) expect(f.runtimeFallback).toBeUndefined();
  });

  it('runs a function declared Nodejs18.15 on Node.js v18.15.0 itself', async () => {
    const res = await emulator.callFunction<string>('webCryptoOn18', { name: 'version' });
    expect(res.body.result).toBe('v18.15.0');
  });

  it('fails code that reads globalThis.crypto on Nodejs18.15, as the cloud does', async () => {
    const res = await emulator.callFunction('webCryptoOn18', {});
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.body.errMsg).toMatch(/subtle/);
  });

  it('runs the same code on Nodejs20.19: SHA-256("abc") is the FIPS 180-2 test vector', async () => {
    const res = await emulator.callFunction<string>('webCryptoOn20', {});
    expect(res.status).toBe(200);
    expect(res.body.result).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe.each<NodeRuntime>(['Nodejs18.15', 'Nodejs20.19'])('the wechat API with wechat deployed on %s', (runtime) => {
  let emulator: TestEmulator;
  let api: ReturnType<typeof wechatApi>;
  beforeAll(async () => {
    emulator = await startTestEmulator({ functionsDirs: [await buildOnRuntime(runtime, ['wechat'])] });
    api = wechatApi(emulator);
  });
  afterAll(() => emulator.close());

  it(`runs wechat on Node.js ${runtime.slice('Nodejs'.length)}.0`, async () => {
    expect((await listed(emulator)).find((f) => f.name === 'wechat')).toMatchObject({ runtime, node: `${runtime.slice('Nodejs'.length)}.0`, isolation: 'process' });
  });

  it('logs in, completes the profile and refreshes the token over HTTP access', async () => {
    const openid = `o_rt_${runtime}`;
    const { token } = await api.login(openid);
    const profile = await api.setProfile(token, '13800138021');
    expect(profile.status).toBe(200);
    const refreshed = await api.http('refreshToken', {}, { token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.token).toEqual(expect.any(String));
    const byCode = await api.http('refreshToken', { users_wx_code: await emulator.loginCode(openid) }, { token: 'not-a-jwt' });
    expect(byCode.status).toBe(200);
  });

  it('logs in through callFunction', async () => {
    const res = await api.call('login', { users_wx_code: await emulator.loginCode(`o_rt_call_${runtime}`) }, `o_rt_call_${runtime}`);
    expect(res.status).toBe(200);
  });
});
