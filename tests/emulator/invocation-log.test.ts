// The invocation log line (issue 11 item 10): its outcome is the status the caller was answered
// with, and `api=N` counts the CloudBase API requests the invocation made. The oracle for the
// status is what the HTTP client itself received; for `api=N` the probe fixture's `dbCalls` handler,
// which makes exactly two database calls (tests/fixtures/functions/probe).
import type { InvocationRecord } from '../../emulator/runner/invocation-log';
import { startTestEmulator, type TestEmulator, useEmulatorSources } from '../support/emulator';

// From the sources: a spy on console.log reads the invocation lines (tests/support/emulator.ts).
useEmulatorSources();

let emulator: TestEmulator;
const printed: string[] = [];
const logSpy = jest.spyOn(console, 'log');

beforeAll(async () => {
  logSpy.mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
  emulator = await startTestEmulator({ printLogs: true });
  await emulator.post('/admin', { action: 'database.addCollection', collectionName: 'probe' });
  await emulator.post('/admin', { action: 'database.addCollection', collectionName: 'probe_timer' });
});
afterAll(async () => {
  await emulator.close();
  logSpy.mockRestore();
});

const lastRecord = (eventName: string): InvocationRecord | undefined => emulator.context.log.list().filter((r) => r.eventName === eventName).at(-1);
const lineOf = (record: InvocationRecord | undefined) => printed.filter((l) => l.startsWith(`[fn] ${record?.function}.${record?.eventName} `)).at(-1);

describe('an HTTP-access invocation', () => {
  it('answered 404 (a path the wechat function does not serve) is logged as an error with its status', async () => {
    const res = await emulator.post('/pb/api/wechat/no-such-api', {});
    expect(res.status).toBe(404);
    const record = lastRecord('POST /pb/api/wechat/no-such-api');
    expect(record).toMatchObject({ outcome: 'error', status: 404 });
    expect(lineOf(record)).toMatch(/ error 404 /);
  });

  it('answered 500 (WeChat failing under a login) is logged as an error with its status', async () => {
    await emulator.post('/_emulator/wechat/faults', { path: '/sns/jscode2session', kind: 'http500', times: 3 });
    const res = await emulator.post('/pb/api/wechat/login', { users_wx_code: await emulator.loginCode('o_log_500') });
    expect(res.status).toBe(500);
    const record = lastRecord('POST /pb/api/wechat/login');
    expect(record).toMatchObject({ outcome: 'error', status: 500 });
    expect(lineOf(record)).toMatch(/ error 500 /);
  });

  it('answered 200 is logged as ok with its status', async () => {
    const res = await emulator.post('/pb/api/system/users-count', {});
    expect(res.status).toBe(200);
    const record = lastRecord('POST /pb/api/system/users-count');
    expect(record).toMatchObject({ outcome: 'ok', status: 200 });
    expect(lineOf(record)).toMatch(/ ok 200 /);
  });
});

describe('a callFunction invocation', () => {
  it('records the status its caller got, and the line counts its CloudBase API requests as api=N without a timing-dependent part', async () => {
    const res = await emulator.callFunction('probe', { name: 'dbCalls' }, 'o_log_db');
    expect(res.status).toBe(200);
    const record = lastRecord('dbCalls');
    expect(record).toMatchObject({ outcome: 'ok', status: 200, dbCalls: 2 });
    expect(lineOf(record)).toMatch(/ caller=user:o_log_db ok 200 \d+\.\dms api=2( |$)/);
  });

  it('a function that throws is an error whatever the status', async () => {
    const res = await emulator.callFunction('probe', { name: 'throw' });
    expect(res.status).toBe(500);
    expect(lastRecord('throw')).toMatchObject({ outcome: 'error', status: 500 });
  });
});

it('a timer fired outside any request is logged at once, without a status', async () => {
  const outcome = await emulator.context.timers.fire('probe', 'everyMinute');
  expect(outcome.ok).toBe(true);
  const record = lastRecord('timer:everyMinute');
  expect(record?.outcome).toBe('ok');
  expect(record?.status).toBeUndefined();
});
