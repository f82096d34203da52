// CloudBase timers: the 7-field Beijing-time cron, and firing a function's timer trigger with the
// timer event and SOURCE wx_trigger.
import { nextRun } from '../../emulator/lib/cloudbase-cron';
import type { FunctionRunner } from '../../emulator/runner/function-runner';
import { TimerScheduler, type TimerInfo } from '../../emulator/timers/timer-scheduler';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';
import { fakeClock, type FakeClock } from '../support/fake-clock';

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
  /** A runner with one every-second trigger; each run lasts until `finish` is called. */
  const stubRunner = (calls: Call[], clock: FakeClock) => {
    const running: Array<() => void> = [];
    const runner = {
      definitions: () => [{ name: 'tick', entry: '', config: { triggers: [{ name: 'everySecond', type: 'timer', config: '* * * * * * *' }] } }],
      invoke: async (_name: string, event: Call['event'], caller: { source: string }) => {
        calls.push({ event, source: caller.source, at: clock.now() });
        await new Promise<void>((finish) => running.push(finish));
        return { ok: true, result: null, durationMs: 0, instanceId: 'stub', requestId: 'stub' };
      },
    } as unknown as FunctionRunner;
    return { runner, finishAll: () => running.splice(0).forEach((finish) => finish()) };
  };

  it('does not fire again after stop, even when stopped while a run is in progress', () => {
    const calls: Call[] = [];
    const clock = fakeClock('2024-05-01T00:00:00.500Z');
    const { runner, finishAll } = stubRunner(calls, clock);
    const scheduler = new TimerScheduler(runner, clock.timerClock);
    scheduler.start();
    clock.tick(500);
    expect(calls).toHaveLength(1); // and that run is still going
    scheduler.stop();
    clock.tick(10_000);
    finishAll();
    expect(calls).toHaveLength(1);
  });

  it('fires a started trigger at each cron second with the timer event and SOURCE wx_trigger, and stops when told', () => {
    const calls: Call[] = [];
    const clock = fakeClock('2024-05-01T00:00:00.500Z');
    const { runner, finishAll } = stubRunner(calls, clock);
    const scheduler = new TimerScheduler(runner, clock.timerClock);
    scheduler.start();
    clock.tick(2500);
    scheduler.stop();
    finishAll();
    // Runs overlap as in the cloud: the next one is armed before the previous one finishes.
    expect(calls).toEqual(['01', '02', '03'].map((s) => ({ event: { Type: 'Timer', TriggerName: 'everySecond', Time: `2024-05-01T00:00:${s}Z` }, source: 'wx_trigger', at: new Date(`2024-05-01T00:00:${s}.000Z`).getTime() })));
    clock.tick(5000);
    expect(calls).toHaveLength(3);
  });

  it('lists the next run on its own clock', () => {
    const clock = fakeClock('2024-05-01T00:00:00Z'); // a Wednesday
    const scheduler = new TimerScheduler({ definitions: () => [{ name: 'backdb', entry: '', config: { triggers: [{ name: 'weeklyBackup', type: 'timer', config: '0 0 4 * * 1 *' }] } }] } as unknown as FunctionRunner, clock.timerClock);
    expect(scheduler.list()).toEqual([{ function: 'backdb', trigger: 'weeklyBackup', cron: '0 0 4 * * 1 *', nextRun: '2024-05-05T20:00:00.000Z' }]);
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
