// Every name a caller chooses (an /admin or storage action, a cloud API service or action, a
// function, an event, a collection, a route) is looked up among the table's own entries. The names
// every JavaScript object inherits (Object.prototype's: constructor, toString, __proto__,
// hasOwnProperty, ...) are unknown names like any other and get the platform's answer for one:
// INVALID_ACTION from the CloudBase server API (@cloudbase/node-sdk surfaces it as the call's
// errCode), InvalidAction and ResourceNotFound.Function from Tencent Cloud API 3.0 (SCF's error
// codes). No answer carries the emulator's internals (the storage signer's key signs every URL).
import { cloudApi, signTc3, viaProxy } from '../../support/cloud-api-client';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';

const NAMES = Object.getOwnPropertyNames(Object.prototype);

let emulator: TestEmulator;
let ca: string;
let api: ReturnType<typeof cloudApi>;

beforeAll(async () => {
  emulator = await startTestEmulator();
  ca = await (await fetch(`${emulator.url}/_emulator/tls/ca.pem`)).text();
  api = cloudApi(emulator.url, ca, { secretId: emulator.secrets.cloudSecretId, secretKey: emulator.secrets.cloudSecretKey });
});
afterAll(() => emulator.close());

const noInternals = (body: unknown) => {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/"signer"|"objects"|"rules"|"settings"|"key"/);
};

it.each(NAMES)('/admin answers INVALID_ACTION for the action %s', async (name) => {
  const res = await emulator.post<{ code?: string }>('/admin', { action: name });
  expect(res.status).toBe(200);
  expect(res.body.code).toBe('INVALID_ACTION');
  noInternals(res.body);
});

it.each(NAMES)("local mode's /storage/client answers INVALID_ACTION for the action %s", async (name) => {
  const res = await emulator.post<{ code?: string }>('/storage/client', { action: name }, { 'x-wx-openid': 'o_proto' });
  expect(res.body.code).toBe('INVALID_ACTION');
  noInternals(res.body);
});

it.each(NAMES)('the server API knows no function or collection named %s', async (name) => {
  const fn = await emulator.post<{ code?: string }>('/admin', { action: 'functions.invokeFunction', function_name: name, request_data: '{}' });
  expect(fn.body.code).toBe('FUNCTIONS_EXECUTE_FAIL');
  const coll = await emulator.post<{ code?: string }>('/admin', { action: 'database.getDocument', collectionName: name, queryType: 'WHERE', query: '{}' });
  expect(coll.body.code).toBe('DATABASE_COLLECTION_NOT_EXIST');
});

it.each(NAMES)('callFunction, the console and the control API know no function, collection or trigger named %s', async (name) => {
  const seg = encodeURIComponent(name);
  expect((await emulator.callFunction(name, {})).status).toBe(404);
  expect((await emulator.post(`/_emulator/console/functions/${seg}/invoke`, {})).status).toBe(404);
  expect((await fetch(`${emulator.url}/_emulator/console/collections/${seg}/documents`)).status).toBe(404);
  expect((await emulator.post(`/_emulator/functions/probe/triggers/${seg}/fire`, {})).status).toBe(404);
  expect((await emulator.post(`/_emulator/functions/${seg}/triggers/everyMinute/fire`, {})).status).toBe(404);
  expect((await fetch(`${emulator.url}/${seg}`)).status).toBe(404);
});

it.each(NAMES)('a function given the event name %s answers its unknown-name error', async (name) => {
  const res = await emulator.callFunction<{ code: number; msg: string }>('user', { name }, 'o_proto');
  expect(res.status).toBe(200);
  expect(res.body.result?.code).not.toBe(0);
  expect(res.body.result?.msg).toMatch(/unknown name/);
});

it.each(NAMES)('the cloud API answers InvalidAction for the tcb and scf action %s', async (name) => {
  for (const service of ['tcb', 'scf'] as const) {
    const answer = await api(service, name, {});
    expect(answer.Response.Error?.Code).toBe('InvalidAction');
    noInternals(answer);
  }
});

it('the cloud API answers InvalidAction for a service named constructor', async () => {
  const host = 'constructor.tencentcloudapi.com';
  const body = '{}';
  const timestamp = Math.floor(Date.now() / 1000);
  const authorization = signTc3(host, 'constructor', body, { secretId: emulator.secrets.cloudSecretId, secretKey: emulator.secrets.cloudSecretKey }, timestamp);
  const res = await viaProxy(emulator.url, ca, host, { method: 'POST', path: '/', headers: { 'content-type': 'application/json', 'x-tc-action': 'keys', 'x-tc-timestamp': String(timestamp), authorization }, body });
  expect((JSON.parse(res.body.toString()) as { Response: { Error?: { Code: string } } }).Response.Error?.Code).toBe('InvalidAction');
});

it.each(NAMES.filter((n) => /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/.test(n)))('the cloud API answers ResourceNotFound.Function for a function named %s', async (name) => {
  for (const action of ['GetFunction', 'Invoke', 'DeleteFunction', 'UpdateFunctionConfiguration', 'BatchCreateTrigger']) {
    const answer = await api('scf', action, { FunctionName: name, Namespace: 'local-env', Triggers: '[]' });
    expect([action, answer.Response.Error?.Code]).toEqual([action, 'ResourceNotFound.Function']);
  }
});
