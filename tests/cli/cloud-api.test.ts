// The emulator's Tencent Cloud API 3.0 and COS subset, called directly (through its CONNECT proxy
// and TLS, TC3-signed as the API 3.0 docs describe): signatures, unknown actions, bad code
// packages, a failed update leaving the previous version serving, Invoke's result fields,
// triggers, delete, and deployed functions surviving a restart when data is on disk.
// Error codes are SCF's and API 3.0's common ones (AuthFailure.*, InvalidAction,
// InvalidParameterValue.*, ResourceNotFound.Function, ResourceInUse.Function).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { cloudApi, signTc3, viaProxy } from '../support/cloud-api-client';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

let emulator: TestEmulator;
let ca: string;
let api: ReturnType<typeof cloudApi>;

const zipOf = (files: Record<string, string>) => Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))));
const fnCode = (version: number) => `exports.main = async (event) => { console.log('handling', JSON.stringify(event)); return { version: ${version}, event, greeting: process.env.GREETING ?? null, appid: process.env.WECHAT_APPID ?? null }; };`;
const create = (name: string, zip: Buffer, extra: Record<string, unknown> = {}) =>
  api('scf', 'CreateFunction', { FunctionName: name, Namespace: emulator.context.envId, Handler: 'index.main', Runtime: 'Nodejs18.15', Timeout: 5, MemorySize: 128, Code: { ZipFile: zip.toString('base64') }, ...extra });
const errorOf = (answer: { Response: { Error?: { Code: string } } }) => answer.Response.Error?.Code;

beforeAll(async () => {
  emulator = await startTestEmulator({ functionsDirs: [] });
  const creds = (await (await fetch(`${emulator.url}/_emulator/cloud-credentials`)).json()) as { secretId: string; secretKey: string; envId: string };
  ca = await (await fetch(`${emulator.url}/_emulator/tls/ca.pem`)).text();
  api = cloudApi(emulator.url, ca, creds);
});

afterAll(async () => {
  await emulator?.close();
});

describe('credentials and the proxy', () => {
  test('GET /_emulator/cloud-credentials answers the emulator key pair and env id; the CA is a PEM certificate', async () => {
    const creds = (await (await fetch(`${emulator.url}/_emulator/cloud-credentials`)).json()) as Record<string, string>;
    expect(creds).toMatchObject({ secretId: emulator.secrets.cloudSecretId, secretKey: emulator.secrets.cloudSecretKey, envId: 'local-env' });
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
  });

  test('CONNECT to any other host (the CLI telemetry) or port is refused', async () => {
    for (const target of ['otheve.beacon.qq.com:443', 'scf.tencentcloudapi.com:80', 'example.com:443']) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: emulator.port, method: 'CONNECT', path: target });
        req.once('connect', (res, socket) => {
          socket.destroy();
          resolve(res.statusCode ?? 0);
        });
        req.once('error', reject);
        req.end();
      });
      expect({ target, status }).toEqual({ target, status: 403 });
    }
  });

  test('the TLS certificate is for the requested Tencent Cloud host and chains to the emulator CA only', async () => {
    await expect(viaProxy(emulator.url, ca, 'scf.tencentcloudapi.com', { method: 'POST', path: '/', headers: {} })).resolves.toMatchObject({ status: 200 });
    // With Node's own root certificates only, the emulator's certificate is not trusted.
    await expect(viaProxy(emulator.url, undefined, 'scf.tencentcloudapi.com', { method: 'POST', path: '/', headers: {} })).rejects.toThrow(/certificate|issuer/i);
  });
});

describe('TC3-HMAC-SHA256 signatures', () => {
  test.each([
    ['no Authorization header', 'AuthFailure.InvalidAuthorization', { authorization: '' }],
    ['a wrong secret key', 'AuthFailure.SignatureFailure', { key: { secretId: '', secretKey: 'wrong-key' } }],
    ['an unknown SecretId', 'AuthFailure.SecretIdNotFound', { key: { secretId: 'AKIDunknownunknownunknownunknown00', secretKey: 'x' } }],
    ['a timestamp ten minutes old', 'AuthFailure.SignatureExpire', { timestamp: Math.floor(Date.now() / 1000) - 600 }],
  ] as const)('%s → %s, in API 3.0 error shape', async (_label, code, options) => {
    const key = 'key' in options && options.key ? { secretId: options.key.secretId || emulator.secrets.cloudSecretId, secretKey: options.key.secretKey } : undefined;
    const answer = await api('tcb', 'DescribeEnvs', {}, { ...options, key });
    expect(answer.Response).toEqual({ RequestId: expect.any(String), Error: { Code: code, Message: expect.any(String) } });
  });

  test('a body changed after signing → AuthFailure.SignatureFailure', async () => {
    const host = 'tcb.tencentcloudapi.com';
    const ts = Math.floor(Date.now() / 1000);
    const auth = signTc3(host, 'tcb', '{}', { secretId: emulator.secrets.cloudSecretId, secretKey: emulator.secrets.cloudSecretKey }, ts);
    const res = await viaProxy(emulator.url, ca, host, { method: 'POST', path: '/', headers: { 'content-type': 'application/json', 'x-tc-action': 'DescribeEnvs', 'x-tc-timestamp': String(ts), authorization: auth }, body: '{"EnvId":"other"}' });
    expect(JSON.parse(res.body.toString()).Response.Error.Code).toBe('AuthFailure.SignatureFailure');
  });

  test('an unsupported action → InvalidAction naming it; the request is in the invocation log', async () => {
    const answer = await api('scf', 'PublishVersion', { FunctionName: 'x' });
    expect(answer.Response.Error).toEqual({ Code: 'InvalidAction', Message: expect.stringContaining('scf:PublishVersion') });
    expect(emulator.context.log.list().at(-1)).toMatchObject({ kind: 'cloud-api', function: 'scf', eventName: 'PublishVersion', outcome: 'error' });
  });
});

describe('code packages', () => {
  const outside = path.join(os.tmpdir(), `zip-slip-${process.pid}.js`);

  test.each([
    ['corrupt bytes', 'InvalidParameterValue.ZipFile', Buffer.from('PK\u0003\u0004 this is not a zip')],
    ['an entry with ..', 'InvalidParameterValue.ZipFile', zipOf({ 'index.js': fnCode(1), [`../../../../../../../..${outside}`]: 'pwned' })],
    ['an absolute entry', 'InvalidParameterValue.ZipFile', zipOf({ 'index.js': fnCode(1), [outside]: 'pwned' })],
    ['no file for the handler', 'InvalidParameterValue.Handler', zipOf({ 'main.js': fnCode(1) })],
  ])('a zip with %s is refused (%s), creates nothing and writes nothing outside the data folder', async (_label, code, zip) => {
    expect(errorOf(await create('badZip', zip))).toBe(code);
    expect(errorOf(await api('scf', 'GetFunction', { FunctionName: 'badZip', Namespace: emulator.context.envId }))).toBe('ResourceNotFound.Function');
    expect(fs.existsSync(outside)).toBe(false);
  });

  test('a code package over 50 MB (uploaded to the temporary COS bucket) is refused with InvalidParameterValue.Code', async () => {
    const objectPath = `1250000000/${emulator.context.envId}/big.zip`;
    const { Date: day, Sign } = (await api('scf', 'GetTempCosInfo', { ObjectPath: objectPath })).Response as unknown as { Date: string; Sign: string };
    const host = 'shtempcos-1253665819.cos.ap-shanghai.myqcloud.com';
    const key = `/${day}/${objectPath}`;
    const init = await viaProxy(emulator.url, ca, host, { method: 'POST', path: `${key}?uploads`, headers: { authorization: Sign } });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.body.toString())![1]!;
    const part = Buffer.alloc(26 * 1024 * 1024, 7);
    for (const n of [1, 2]) expect((await viaProxy(emulator.url, ca, host, { method: 'PUT', path: `${key}?partNumber=${n}&uploadId=${uploadId}`, headers: { authorization: Sign }, body: part })).status).toBe(200);
    expect((await viaProxy(emulator.url, ca, host, { method: 'POST', path: `${key}?uploadId=${uploadId}`, headers: { authorization: Sign }, body: '<CompleteMultipartUpload></CompleteMultipartUpload>' })).status).toBe(200);
    const answer = await api('scf', 'CreateFunction', { FunctionName: 'bigZip', Namespace: emulator.context.envId, Handler: 'index.main', Code: { CosBucketRegion: 'ap-shanghai', TempCosObjectName: key } });
    expect(answer.Response.Error).toEqual({ Code: 'InvalidParameterValue.Code', Message: expect.stringContaining('50 MB') });
  });

  test('COS requests without a Sign from GetTempCosInfo are denied', async () => {
    const res = await viaProxy(emulator.url, ca, 'shtempcos-1253665819.cos.ap-shanghai.myqcloud.com', { method: 'POST', path: '/2026-01-01/x/y.zip?uploads', headers: { authorization: 'q-sign-algorithm=sha1&forged' } });
    expect(res.status).toBe(403);
    expect(res.body.toString()).toContain('<Code>AccessDenied</Code>');
  });
});

describe('deploy, invoke, triggers, delete', () => {
  test('CreateFunction serves the code at once with Environment.Variables replacing the emulator-wide configuration; creating it again → ResourceInUse.Function', async () => {
    expect(errorOf(await create('probeDeploy', zipOf({ 'index.js': fnCode(1) }), { Environment: { Variables: [{ Key: 'GREETING', Value: 'hello' }] } }))).toBeUndefined();
    const res = await emulator.callFunction<{ version: number; greeting: string; appid: string | null }>('probeDeploy', { a: 1 });
    expect(res.body.result).toMatchObject({ version: 1, greeting: 'hello', appid: null });
    expect(errorOf(await create('probeDeploy', zipOf({ 'index.js': fnCode(9) })))).toBe('ResourceInUse.Function');
  });

  test('a failed UpdateFunctionCode leaves the previous version serving; a good one replaces it', async () => {
    const bad = await api('scf', 'UpdateFunctionCode', { FunctionName: 'probeDeploy', Namespace: emulator.context.envId, Handler: 'index.main', ZipFile: Buffer.from('garbage').toString('base64') });
    expect(errorOf(bad)).toBe('InvalidParameterValue.ZipFile');
    expect((await emulator.callFunction<{ version: number }>('probeDeploy', {})).body.result?.version).toBe(1);
    expect(errorOf(await api('scf', 'UpdateFunctionCode', { FunctionName: 'probeDeploy', Namespace: emulator.context.envId, Handler: 'index.main', ZipFile: zipOf({ 'index.js': fnCode(2) }).toString('base64') }))).toBeUndefined();
    expect((await emulator.callFunction<{ version: number; greeting: string }>('probeDeploy', {})).body.result).toMatchObject({ version: 2, greeting: 'hello' });
  });

  test('Invoke runs it as a server-side caller and answers the fields tcb fn invoke prints', async () => {
    const answer = await api('scf', 'Invoke', { FunctionName: 'probeDeploy', Namespace: emulator.context.envId, LogType: 'Tail', ClientContext: '{"name":"ping"}' });
    const result = answer.Response.Result as Record<string, unknown>;
    expect(result).toEqual({
      FunctionRequestId: expect.any(String), Duration: expect.any(Number), BillDuration: expect.any(Number), MemUsage: expect.any(Number),
      InvokeResult: 0, RetMsg: expect.any(String), ErrMsg: '', Log: expect.stringContaining(`RequestId: ${String(result.FunctionRequestId)}`),
    });
    expect(JSON.parse(result.RetMsg as string)).toMatchObject({ version: 2, event: { name: 'ping' } });
    expect(result.MemUsage).toBeGreaterThan(0);
    // SCF's Log (LogType Tail) carries what the function printed during this call.
    expect(result.Log).toContain('handling {"name":"ping"}');
    expect(emulator.context.log.list().find((r) => r.id === result.FunctionRequestId)).toMatchObject({ function: 'probeDeploy', source: 'tcb_cli', outcome: 'ok' });
  });

  test('Invoke of a throwing function: InvokeResult is not 0 and ErrMsg carries the error', async () => {
    expect(errorOf(await create('probeThrows', zipOf({ 'index.js': 'exports.main = async () => { throw new Error("boom from the function"); };' })))).toBeUndefined();
    const result = (await api('scf', 'Invoke', { FunctionName: 'probeThrows', Namespace: emulator.context.envId, ClientContext: '{}' })).Response.Result as Record<string, unknown>;
    expect(result.InvokeResult).not.toBe(0);
    expect(result.ErrMsg).toContain('boom from the function');
  });

  test('BatchCreateTrigger timers replace the function\'s timers; an invalid cron is refused', async () => {
    const triggers = (list: Array<[string, string]>) => JSON.stringify(list.map(([TriggerName, TriggerDesc]) => ({ TriggerName, Type: 'timer', TriggerDesc })));
    expect(errorOf(await api('scf', 'BatchCreateTrigger', { FunctionName: 'probeDeploy', Namespace: emulator.context.envId, Triggers: triggers([['first', '0 0 4 * * 1 *']]), Count: 1 }))).toBeUndefined();
    expect(errorOf(await api('scf', 'BatchCreateTrigger', { FunctionName: 'probeDeploy', Namespace: emulator.context.envId, Triggers: triggers([['second', '0 30 2 * * * *']]), Count: 1 }))).toBeUndefined();
    expect(emulator.context.timers.list().filter((t) => t.function === 'probeDeploy')).toEqual([expect.objectContaining({ trigger: 'second', cron: '0 30 2 * * * *' })]);
    expect(errorOf(await api('scf', 'BatchCreateTrigger', { FunctionName: 'probeDeploy', Namespace: emulator.context.envId, Triggers: triggers([['bad', 'every monday']]), Count: 1 }))).toBe('InvalidParameterValue.TriggerDesc');
    const fired = await emulator.context.timers.fire('probeDeploy', 'second');
    expect(fired.ok && (fired.result as { event: { Type: string } }).event.Type).toBe('Timer');
  });

  test('DeleteFunction removes it; a second delete → ResourceNotFound.Function', async () => {
    expect(errorOf(await api('scf', 'DeleteFunction', { FunctionName: 'probeThrows', Namespace: emulator.context.envId }))).toBeUndefined();
    expect((await emulator.callFunction('probeThrows', {})).status).toBe(404);
    expect(errorOf(await api('scf', 'DeleteFunction', { FunctionName: 'probeThrows', Namespace: emulator.context.envId }))).toBe('ResourceNotFound.Function');
  });
});

describe('runtimes', () => {
  const versionCode = 'exports.main = async () => process.version;';
  const runtimeOf = async (name: string) => (await api('scf', 'GetFunction', { FunctionName: name, Namespace: emulator.context.envId })).Response.Runtime;

  test('a function runs on the Node.js its CreateFunction Runtime names (NodejsX.Y → vX.Y.0)', async () => {
    for (const [name, runtime, node] of [['onNode18', 'Nodejs18.15', 'v18.15.0'], ['onNode20', 'Nodejs20.19', 'v20.19.0']] as const) {
      expect(errorOf(await create(name, zipOf({ 'index.js': versionCode }), { Runtime: runtime }))).toBeUndefined();
      expect(await runtimeOf(name)).toBe(runtime);
      expect((await emulator.callFunction<string>(name, {})).body.result).toBe(node);
    }
  });

  test('CreateFunction refuses a runtime CloudBase does not offer with InvalidParameterValue.Runtime', async () => {
    for (const runtime of ['Nodejs19.1', 'Python3.9', 'Nodejs26.1']) expect(errorOf(await create('onNowhere', zipOf({ 'index.js': versionCode }), { Runtime: runtime }))).toBe('InvalidParameterValue.Runtime');
  });

  // SCF fixes Runtime at creation: @cloudbase/cli 2.12.10 says Runtime "只能在 CreateFunction 时设置，
  // UpdateFunctionConfiguration 不支持", and UpdateFunctionConfiguration's error codes
  // (tencentcloud-sdk-go scf/v20180416) include InvalidParameterValue.Runtime.
  test('UpdateFunctionConfiguration refuses a Runtime change with InvalidParameterValue.Runtime and keeps the function as it was', async () => {
    const answer = await api('scf', 'UpdateFunctionConfiguration', { FunctionName: 'onNode18', Namespace: emulator.context.envId, Runtime: 'Nodejs20.19', Timeout: 9 });
    expect(errorOf(answer)).toBe('InvalidParameterValue.Runtime');
    expect(await runtimeOf('onNode18')).toBe('Nodejs18.15');
    expect((await api('scf', 'GetFunction', { FunctionName: 'onNode18', Namespace: emulator.context.envId })).Response.Timeout).toBe(5);
    expect((await emulator.callFunction<string>('onNode18', {})).body.result).toBe('v18.15.0');
    // Naming the runtime it already has changes nothing, and is no error.
    expect(errorOf(await api('scf', 'UpdateFunctionConfiguration', { FunctionName: 'onNode18', Namespace: emulator.context.envId, Runtime: 'Nodejs18.15', Timeout: 9 }))).toBeUndefined();
  });

  test('deleting and creating again is how the runtime changes', async () => {
    expect(errorOf(await api('scf', 'DeleteFunction', { FunctionName: 'onNode18', Namespace: emulator.context.envId }))).toBeUndefined();
    expect(errorOf(await create('onNode18', zipOf({ 'index.js': versionCode }), { Runtime: 'Nodejs20.19' }))).toBeUndefined();
    expect((await emulator.callFunction<string>('onNode18', {})).body.result).toBe('v20.19.0');
  });
});

test('deployed functions survive a restart when the emulator keeps data on disk; their code stays inside the data folder', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloud-api-restart-'));
  try {
    const first = await startTestEmulator({ functionsDirs: [], inMemory: false, dataDir });
    const firstCa = await (await fetch(`${first.url}/_emulator/tls/ca.pem`)).text();
    const call = cloudApi(first.url, firstCa, { secretId: first.secrets.cloudSecretId, secretKey: first.secrets.cloudSecretKey });
    const answer = await call('scf', 'CreateFunction', { FunctionName: 'kept', Namespace: first.context.envId, Handler: 'index.main', Code: { ZipFile: zipOf({ 'index.js': fnCode(7) }).toString('base64') } });
    expect(answer.Response.Error).toBeUndefined();
    await first.close();
    const second = await startTestEmulator({ functionsDirs: [], inMemory: false, dataDir });
    try {
      expect((await second.callFunction<{ version: number }>('kept', {})).body.result?.version).toBe(7);
      expect(second.context.deploymentHistory('kept')).toEqual([expect.objectContaining({ source: 'tcb deploy', action: 'CreateFunction' })]);
      expect(second.context.runner.definition('kept')?.entry.startsWith(path.join(dataDir, 'cloud', 'code', 'kept'))).toBe(true);
      expect(await (await fetch(`${second.url}/_emulator/tls/ca.pem`)).text()).toBe(firstCa);
    } finally {
      await second.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('functions served from the build can be reconfigured through the API: timers replaced, emulator-wide variables kept unless set', async () => {
  const built = await startTestEmulator();
  try {
    const builtCa = await (await fetch(`${built.url}/_emulator/tls/ca.pem`)).text();
    const call = cloudApi(built.url, builtCa, { secretId: built.secrets.cloudSecretId, secretKey: built.secrets.cloudSecretKey });
    const ns = built.context.envId;
    expect((await call('scf', 'GetFunction', { FunctionName: 'backdb', Namespace: ns })).Response).toMatchObject({ FunctionName: 'backdb', Status: 'Active', Handler: 'index.main', Triggers: [expect.objectContaining({ Type: 'timer', TriggerName: 'weeklyBackup' })] });
    const triggers = JSON.stringify([{ TriggerName: 'nightly', Type: 'timer', TriggerDesc: '0 0 2 * * * *' }]);
    expect(errorOf(await call('scf', 'BatchCreateTrigger', { FunctionName: 'backdb', Namespace: ns, Triggers: triggers, Count: 1 }))).toBeUndefined();
    expect(built.context.timers.list().filter((t) => t.function === 'backdb').map((t) => t.trigger)).toEqual(['nightly']);
    expect(errorOf(await call('scf', 'UpdateFunctionConfiguration', { FunctionName: 'user', Namespace: ns, Timeout: 20 }))).toBeUndefined();
    expect(built.context.runner.definition('user')?.config.timeout).toBe(20);
    // user.getOpenid needs WECHAT_APPID/SECRET: still the emulator's, so the stand-in accepts the exchange.
    const code = await built.loginCode('o_built');
    expect((await built.callFunction<{ code: number; data: { openid: string } }>('user', { name: 'getOpenid', js_code: code }, 'o_built')).body.result).toMatchObject({ code: 0, data: { openid: 'o_built' } });
  } finally {
    await built.close();
  }
});
