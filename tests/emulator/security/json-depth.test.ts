// One depth limit for every JSON input, counted on the text before it is parsed (the emulator's
// MAX_JSON_DEPTH, above MongoDB's 100-level document limit: "Nested Depth for BSON Documents",
// MongoDB manual, Limits): the cloud API's body and the JSON strings inside it (SCF Invoke's
// ClientContext, BatchCreateTrigger's Triggers) included. A value too deep is refused with the
// platform's error for that parameter (SCF API: InvalidParameterValue.ClientContext,
// InvalidParameter), and the invocation log, its GET /_emulator/logs and the console's log stream
// keep working whatever a caller sent.
import http from 'node:http';
import { cloudApi } from '../../support/cloud-api-client';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';

let emulator: TestEmulator;
let api: ReturnType<typeof cloudApi>;
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

beforeAll(async () => {
  emulator = await startTestEmulator();
  const ca = await (await fetch(`${emulator.url}/_emulator/tls/ca.pem`)).text();
  api = cloudApi(emulator.url, ca, { secretId: emulator.secrets.cloudSecretId, secretKey: emulator.secrets.cloudSecretKey });
});
afterAll(() => emulator.close());

/** The ids of the records the console's log stream delivers on connect, read until `untilId` arrives. */
function streamedIds(untilId: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const ids: string[] = [];
    const req = http.get(`${emulator.url}/_emulator/console/logs/stream`, (res) => {
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        for (const m of buffered.matchAll(/^id: (.+)$/gm)) if (!ids.includes(m[1] as string)) ids.push(m[1] as string);
        if (ids.includes(untilId)) {
          req.destroy();
          resolve(ids);
        }
      });
      res.on('end', () => resolve(ids));
      res.on('close', () => resolve(ids));
    });
    req.on('error', (err) => (ids.includes(untilId) ? resolve(ids) : reject(err)));
  });
}

it('refuses an Invoke whose ClientContext nests 100,000 deep, and the log and its stream keep working', async () => {
  const answer = await api('scf', 'Invoke', { FunctionName: 'probe', Namespace: 'local-env', ClientContext: nested(100_000) });
  expect(answer.Response.Error?.Code).toBe('InvalidParameterValue.ClientContext');
  const after = await emulator.callFunction<{ ctx: unknown }>('probe', { name: 'context' });
  expect(after.status).toBe(200);
  const logs = await fetch(`${emulator.url}/_emulator/logs`);
  expect(logs.status).toBe(200);
  const records = (await logs.json()) as Array<{ id: string }>;
  const last = (records[records.length - 1] as { id: string }).id;
  expect(await streamedIds(last)).toContain(last);
});

it('refuses a cloud API body nested deeper than the limit with InvalidParameter', async () => {
  const answer = await api('scf', 'GetFunction', { FunctionName: 'probe', Extra: JSON.parse(nested(1_000)) as unknown });
  expect(answer.Response.Error?.Code).toBe('InvalidParameter');
  expect((await fetch(`${emulator.url}/_emulator/logs`)).status).toBe(200);
});

it('refuses Triggers nested too deep with InvalidParameterValue.Triggers', async () => {
  const answer = await api('scf', 'BatchCreateTrigger', { FunctionName: 'probe', Namespace: 'local-env', Triggers: nested(100_000) });
  expect(answer.Response.Error?.Code).toBe('InvalidParameterValue.Triggers');
});

it("answers the WeChat stand-in's data format error (47001) for a body nested too deep", async () => {
  const res = await fetch(`${emulator.url}/cgi-bin/stable_token`, { method: 'POST', body: `{"grant_type":${nested(100_000)}}` });
  expect(await res.json()).toMatchObject({ errcode: 47001 });
});

it('keeps a record whose event cannot be serialised as a note, never as the value', async () => {
  const deepEvent = JSON.parse(`{"name":"echo","data":${nested(5_000)}}`) as unknown;
  emulator.context.log.add({ id: 'deep-record', function: 'probe', eventName: 'echo', caller: 'test', source: 'test', startedAt: new Date().toISOString(), durationMs: 0, dbCalls: 0, dbRoundTrips: 0, outcome: 'ok', event: deepEvent });
  const logs = await fetch(`${emulator.url}/_emulator/logs`);
  expect(logs.status).toBe(200);
  const record = ((await logs.json()) as Array<{ id: string; event: unknown }>).find((r) => r.id === 'deep-record');
  expect(record?.event).toMatch(/^<not kept: /);
  expect(await streamedIds('deep-record')).toContain('deep-record');
});
