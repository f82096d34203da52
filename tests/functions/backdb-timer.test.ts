// The weekly backup as the platform really runs it (issue 23): the timer event CloudBase
// documents ({Type: "Timer", TriggerName, Time}) starts it with or without SOURCE wx_trigger
// (whether a trigger the tcb CLI created sets that SOURCE is not documented); nobody reads a timer
// run's answer, so a backup that fails or exports nothing says so in one error line of the
// function's log; and retention deletes the export files of pruned jobs with no hand-set bucket
// variable (the emulator no longer sets BACKUP_STORAGE_BUCKET), the file IDs coming from cloud
// storage itself (storage.getUploadMetadata names the fileId of a path: @cloudbase/node-sdk
// dist/storage/index.js uploadFile returns exactly that fileId).
import { backdbApi, type AllJobsResult } from '../support/backdb-api';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';
import { COLLECTIONS } from '../../shared/db/collections';

const errorLines = (logs: string | undefined) => (logs ?? '').split('\n').filter((l) => l.includes('[error]'));
const fire = (emulator: TestEmulator, source: string) => emulator.context.timers.fire('backdb', 'weeklyBackup', new Date(), source);

describe('an environment with nothing to export', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    // The emulator creates the production collections; excluding them all leaves nothing to export.
    emulator = await startTestEmulator({ functionEnv: { BACKUP_EXCLUDE: Object.values(COLLECTIONS).map((c) => c.name).join(',') } });
  });
  afterAll(() => emulator.close());

  it('a timer run with no SOURCE runs the backup and logs one error line saying it exported nothing', async () => {
    const outcome = await fire(emulator, '');
    expect(outcome).toMatchObject({ ok: true, result: { jobs: [], failed: [] } });
    expect(errorLines(outcome.logs)).toEqual([expect.stringMatching(/^\[error\] backdb backup of local-env exported nothing: no collection to export/)]);
  });
});

describe('an environment with collections', () => {
  let emulator: TestEmulator;
  let api: ReturnType<typeof backdbApi>;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    api = backdbApi(emulator);
    await api.seed('tm_books', [{ title: 'A' }, { title: 'B' }]);
    await api.seed('tm_orders', [{ n: 1 }]);
  });
  afterAll(() => emulator.close());

  it.each([['wx_trigger'], ['']])('a timer run with SOURCE "%s" starts one export per collection and logs no error', async (source) => {
    const outcome = await fire(emulator, source);
    expect(outcome.ok).toBe(true);
    const result = (outcome.ok ? outcome.result : undefined) as AllJobsResult;
    expect(result.jobs.map((j) => j.collection)).toEqual(expect.arrayContaining(['tm_books', 'tm_orders']));
    expect(result.failed).toEqual([]);
    expect(errorLines(outcome.logs)).toEqual([]);
  });

  it('an export WeChat refuses is logged as one error line naming the collection and the reason', async () => {
    await api.fault({ path: '/tcb/databasemigrateexport', kind: 'errcode', errcode: -1, times: 1 });
    const outcome = await fire(emulator, '');
    const result = (outcome.ok ? outcome.result : undefined) as AllJobsResult;
    expect(result.failed).toHaveLength(1);
    const [line, ...more] = errorLines(outcome.logs);
    expect(more).toEqual([]);
    expect(line).toMatch(new RegExp(`^\\[error\\] backdb backup of local-env: 1 of \\d+ exports failed to start: ${result.failed[0]?.collection} \\(`));
  });

  it('a run that cannot list the collections is logged as one error line with the reason', async () => {
    await api.fault({ path: '/tcb/databasecollectionget', kind: 'errcode', errcode: -1, times: 1 });
    const outcome = await fire(emulator, '');
    expect(outcome.ok).toBe(false);
    const lines = errorLines(outcome.logs);
    expect(lines).toEqual([expect.stringMatching(/^\[error\] timer run of createAllJob failed: AppError \| UPSTREAM/)]);
  });

  it('retention deletes the export files of pruned jobs, the file IDs asked of cloud storage', async () => {
    const { jobs } = (await api.ok<AllJobsResult>('createAllJob')) as AllJobsResult;
    const books = jobs.find((j) => j.collection === 'tm_books');
    if (!books) throw new Error('no tm_books export');
    await api.waitForUrl(books.job_id);
    // The export is a cloud file of the environment's storage (WeChat databaseMigrateExport).
    const fileId = emulator.context.storage.fileId(books.file_path);
    const status = async () => ((await sdkFor(emulator).getTempFileURL({ fileList: [fileId] })) as unknown as { fileList: Array<{ status: number }> }).fileList[0]?.status;
    expect(await status()).toBe(0);
    const tenWeeksAgo = new Date(Date.now() - 10 * 7 * 24 * 3600 * 1000);
    await api.db().collection('backdb').where({ jobId: books.job_id }).update({ data: { createdAt: tenWeeksAgo } });
    const outcome = await fire(emulator, '');
    expect(outcome).toMatchObject({ ok: true, result: { pruned: 1, filesDeleted: 1 } });
    // wx-server-sdk: STORAGE_FILE_NONEXIST → status -503003.
    expect(await status()).toBe(-503003);
    expect((await api.jobRecords()).some((r) => r.jobId === books.job_id)).toBe(false);
  });
});
