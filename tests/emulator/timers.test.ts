// CloudBase timers: the 7-field Beijing-time cron, and firing a function's timer trigger with the
// timer event and SOURCE wx_trigger.
import { nextRun } from '../../emulator/lib/cloudbase-cron';
import type { FunctionRunner } from '../../emulator/runner/function-runner';
import { TimerScheduler, type TimerInfo } from '../../emulator/timers/timer-scheduler';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

const at = (iso: string) => new Date(iso);

describe('cloudbase cron nextRun', () => {
  it('puts "0 0 4 * * 1 *" on the next Monday 04:00 Beijing time, which is Sunday 20:00 UTC', () => {
    // 2024-05-01 is a Wednesday.
    expect(nextRun('0 0 4 * * 1 *', at('2024-05-01T00:00:00Z'))?.toISOString()).toBe('2024-05-05T20:00:00.000Z');
  });

  it('moves to the following week when asked exactly at or just after a run', () => {
    expect(nextRun('0 0 4 * * 1 *', at('2024-05-05T20:00:00Z'))?.toISOString()).toBe('2024-05-12T20:00:00.000Z');
    expect(nextRun('0 0 4 * * 1 *', at('2024-05-05T19:59:59Z'))?.toISOString()).toBe('2024-05-05T20:00:00.000Z');
  });

  it('reads the day of week with 0 as Sunday and accepts day names', () => {
    expect(nextRun('0 0 12 * * 0 *', at('2024-05-01T00:00:00Z'))?.toISOString()).toBe('2024-05-05T04:00:00.000Z');
    expect(nextRun('0 0 12 * * SUN *', at('2024-05-01T00:00:00Z'))?.toISOString()).toBe('2024-05-05T04:00:00.000Z');
  });

  it('fires when either the day of month or the day of week matches if both are restricted', () => {
    // Monday 2024-05-27, then Saturday 2024-06-01 (the 1st), then Monday 2024-06-03; all 00:00 Beijing.
    const first = nextRun('0 0 0 1 * 1 *', at('2024-05-21T00:00:00Z')) as Date;
    const second = nextRun('0 0 0 1 * 1 *', first) as Date;
    const third = nextRun('0 0 0 1 * 1 *', second) as Date;
    expect([first, second, third].map((d) => d.toISOString())).toEqual(['2024-05-26T16:00:00.000Z', '2024-05-31T16:00:00.000Z', '2024-06-02T16:00:00.000Z']);
  });

  it('requires exactly seven fields', () => {
    expect(() => nextRun('0 0 4 * * 1', at('2024-05-01T00:00:00Z'))).toThrow(/7/);
    expect(() => nextRun('0 0 4 * * 1 * *', at('2024-05-01T00:00:00Z'))).toThrow(/7/);
  });

  it('honours the year field, including a year far ahead for a frequent schedule', () => {
    expect(nextRun('0 0 0 1 1 * 2030', at('2024-05-01T00:00:00Z'))?.toISOString()).toBe('2029-12-31T16:00:00.000Z');
    expect(nextRun('0 * * * * * 2027', at('2024-05-01T00:00:00Z'))?.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(nextRun('0 0 4 * * 1 2025-2026', at('2026-12-30T00:00:00Z'))).toBeUndefined();
  });

  it('accepts year ranges with steps and rejects a year outside 1970-2099 or a malformed year', () => {
    expect(nextRun('0 0 0 1 1 * 2030-2040/5', at('2031-01-01T00:00:00Z'))?.toISOString()).toBe('2034-12-31T16:00:00.000Z');
    expect(() => nextRun('0 0 0 1 1 * 2100', at('2024-05-01T00:00:00Z'))).toThrow(/year/);
    expect(() => nextRun('0 0 0 1 1 * next', at('2024-05-01T00:00:00Z'))).toThrow(/year/);
  });

  it('counts the year in Beijing time, so 1 January 00:30 Beijing belongs to the new year', () => {
    expect(nextRun('0 30 0 1 1 * 2025', at('2024-06-01T00:00:00Z'))?.toISOString()).toBe('2024-12-31T16:30:00.000Z');
  });

  it('supports steps such as every 5 seconds', () => {
    expect(nextRun('*/5 * * * * * *', at('2024-05-01T00:00:01Z'))?.toISOString()).toBe('2024-05-01T00:00:05.000Z');
  });
});

describe('timer scheduler', () => {
  type Call = { event: { Type: string; TriggerName: string; Time: string }; source: string; at: number };
  /** A runner with one every-second trigger whose runs take `runMs`. */
  const stubRunner = (calls: Call[], runMs = 0) =>
    ({
      definitions: () => [{ name: 'tick', entry: '', config: { triggers: [{ name: 'everySecond', type: 'timer', config: '* * * * * * *' }] } }],
      invoke: async (_name: string, event: Call['event'], caller: { source: string }) => {
        calls.push({ event, source: caller.source, at: Date.now() });
        await new Promise((r) => setTimeout(r, runMs));
        return { ok: true, result: null, durationMs: runMs, instanceId: 'stub', requestId: 'stub' };
      },
    }) as unknown as FunctionRunner;

  it('does not fire again after stop, even when stopped while a run is in progress', async () => {
    const calls: Call[] = [];
    const scheduler = new TimerScheduler(stubRunner(calls, 600));
    scheduler.start();
    while (calls.length === 0) await new Promise((r) => setTimeout(r, 20));
    scheduler.stop();
    await new Promise((r) => setTimeout(r, 2200));
    expect(calls).toHaveLength(1);
  });

  it('fires a started trigger on its cron schedule with the timer event and stops when told', async () => {
    const calls: Call[] = [];
    const scheduler = new TimerScheduler(stubRunner(calls));
    scheduler.start();
    await new Promise((r) => setTimeout(r, 2300));
    scheduler.stop();
    const fired = calls.length;
    expect(fired).toBeGreaterThanOrEqual(2);
    expect(calls[0]).toMatchObject({ event: { Type: 'Timer', TriggerName: 'everySecond' }, source: 'wx_trigger' });
    const times = calls.map((c) => new Date(c.event.Time).getTime());
    expect(new Set(times).size).toBe(times.length);
    for (let i = 1; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBe(1000);
    expect(Math.abs((times[0] as number) - (calls[0]?.at as number))).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 1200));
    expect(calls).toHaveLength(fired);
  });
});

describe('timer triggers in the emulator', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    expect((await emulator.post('/admin', { action: 'database.addCollection', collectionName: 'probe_timer' })).status).toBe(200);
  });
  afterAll(() => emulator.close());

  it('lists each timer trigger with its cron and next run time', async () => {
    const before = Date.now();
    const timers = (await (await fetch(`${emulator.url}/_emulator/timers`)).json()) as TimerInfo[];
    const probe = timers.find((t) => t.function === 'probe' && t.trigger === 'everyMinute');
    expect(probe?.cron).toBe('0 * * * * * *');
    const next = new Date(probe?.nextRun as string).getTime();
    expect(next).toBeGreaterThan(before);
    expect(next - before).toBeLessThanOrEqual(60_000);
    expect(new Date(next).getUTCSeconds()).toBe(0);
  });

  it('fires a trigger with the timer event {Type, TriggerName, Time} and SOURCE wx_trigger', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const res = await emulator.post<{ ok: boolean; result: unknown }>('/_emulator/functions/probe/triggers/everyMinute/fire', {});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, result: 'fired' });
    const { data } = (await sdkFor(emulator).database().collection('probe_timer').get()) as { data: unknown[] };
    expect(data).toHaveLength(1);
    const record = data[0] as { event: { Type: string; TriggerName: string; Time: string }; source: string };
    expect(record.event).toEqual({ Type: 'Timer', TriggerName: 'everyMinute', Time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
    expect(new Date(record.event.Time).getTime()).toBeGreaterThanOrEqual(before);
    expect(record.source).toBe('wx_trigger');
  });

  it('records a fired timer in the invocation log as a wx_trigger call', async () => {
    await emulator.post('/_emulator/functions/probe/triggers/everyMinute/fire', {});
    const logs = (await (await fetch(`${emulator.url}/_emulator/logs`)).json()) as Array<{ function: string; eventName: string; source: string; outcome: string }>;
    expect(logs.at(-1)).toMatchObject({ function: 'probe', eventName: 'timer:everyMinute', source: 'wx_trigger', outcome: 'ok' });
  });

  it('answers 404 for an unknown trigger or an unknown function', async () => {
    expect((await emulator.post('/_emulator/functions/probe/triggers/nope/fire', {})).status).toBe(404);
    expect((await emulator.post('/_emulator/functions/nofn/triggers/everyMinute/fire', {})).status).toBe(404);
  });
});
