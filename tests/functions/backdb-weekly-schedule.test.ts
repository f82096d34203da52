// The weekly backup end to end: the emulator's real timer scheduler, on a clock set just before
// Monday 04:00 Beijing time, fires backdb's weeklyBackup trigger (config.json "0 0 4 * * 1 *",
// CloudBase's 7-field cron in UTC+8), and backdb exports every collection through the WeChat
// stand-in for real: each export's file holds the collection's documents.
import { backdbApi, EXCLUDED_COLLECTIONS, type AllJobsResult } from '../support/backdb-api';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { fakeClock } from '../support/fake-clock';
import { waitFor } from '../support/wait-for';

// 2026-12-07 is a Monday; 04:00 in Beijing (UTC+8, no daylight saving) is Sunday 20:00 UTC.
const clock = fakeClock('2026-12-06T19:59:59.000Z');
let emulator: TestEmulator;
let api: ReturnType<typeof backdbApi>;

beforeAll(async () => {
  emulator = await startTestEmulator({ scheduleTimers: true, timerClock: clock.timerClock, exportJobDelayMs: 0 });
  api = backdbApi(emulator);
  await api.seed('wk_books', [{ _id: 'b1', title: 'Dune' }, { _id: 'b2', title: 'Solaris' }]);
});
afterAll(() => emulator.close());

const weeklyRuns = () => emulator.context.log.list().filter((r) => r.function === 'backdb' && r.eventName === 'timer:weeklyBackup');

describe('the weekly backup timer', () => {
  it('is armed for Monday 04:00 Beijing time', async () => {
    const timers = (await (await fetch(`${emulator.url}/_emulator/timers`)).json()) as Array<{ function: string; trigger: string; nextRun: string }>;
    expect(timers.find((t) => t.function === 'backdb')).toEqual({ function: 'backdb', trigger: 'weeklyBackup', cron: '0 0 4 * * 1 *', nextRun: '2026-12-06T20:00:00.000Z' });
  });

  it('has not fired one millisecond before 04:00', () => {
    clock.tick(999);
    expect(weeklyRuns()).toEqual([]);
  });

  it('fires at 04:00 with the timer event, and every collection but the caches is exported into a file holding its documents', async () => {
    clock.tick(1);
    const [run] = await waitFor('the weeklyBackup run to finish', () => (weeklyRuns().length > 0 ? weeklyRuns() : undefined));
    expect(run).toMatchObject({ source: 'wx_trigger', outcome: 'ok', event: { Type: 'Timer', TriggerName: 'weeklyBackup', Time: '2026-12-06T20:00:00Z' } });
    const result = run?.result as AllJobsResult;
    expect(result.failed).toEqual([]);
    const names = ((await (await fetch(`${emulator.url}/_emulator/collections`)).json()) as Array<{ name: string }>).map((c) => c.name);
    expect(result.jobs.map((j) => j.collection).sort()).toEqual(names.filter((n) => !EXCLUDED_COLLECTIONS.includes(n)).sort());
    const books = result.jobs.find((j) => j.collection === 'wk_books');
    expect(await api.download(await api.waitForUrl(books?.job_id as number))).toEqual(await api.contents('wk_books'));
    expect((await api.jobRecords()).map((r) => r.jobId).sort()).toEqual(result.jobs.map((j) => j.job_id).sort());
  });

  it('is armed again for the next Monday 04:00 and does not run twice', async () => {
    const timers = (await (await fetch(`${emulator.url}/_emulator/timers`)).json()) as Array<{ function: string; nextRun: string }>;
    expect(timers.find((t) => t.function === 'backdb')?.nextRun).toBe('2026-12-13T20:00:00.000Z');
    clock.tick(60_000);
    expect(weeklyRuns()).toHaveLength(1);
  });
});
