// backdb upkeep paths: retention over more than one batch of old records, the export list paged
// beyond WeChat's 100 collections a page, restoreJob's two modes, and listJobs' order and default
// size. Sources: databaseCollectionGet (limit at most 100, pager.Total), databaseMigrateImport
// (conflict_mode 1 INSERT, 2 UPSERT: a document whose _id exists is replaced), CloudBase
// deleteFile (at most 50 file IDs a call), and README (listJobs: the most recent jobs, newest
// first, 20 unless limit says otherwise; retention BACKUP_RETENTION_WEEKS 8).
import { backdbApi, collectionNames, EXCLUDED_COLLECTIONS, type AllJobsResult, type ListedJob, type StartedJob } from '../support/backdb-api';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

let emulator: TestEmulator;
let api: ReturnType<typeof backdbApi>;
beforeAll(async () => {
  emulator = await startTestEmulator({ exportJobDelayMs: 0 });
  api = backdbApi(emulator);
});
afterAll(() => emulator.close());

const WEEK_MS = 7 * 24 * 3600 * 1000;
const backdb = () => api.db().collection('backdb');

describe('retention', () => {
  it('prunes 60 records older than 8 weeks (more than one deleteFile batch of 50) and deletes all their files', async () => {
    const old = new Date(Date.now() - 9 * WEEK_MS);
    const paths = Array.from({ length: 60 }, (_, i) => `backup/old/r${String(i).padStart(2, '0')}.json`);
    for (const [i, filePath] of paths.entries()) {
      await sdkFor(emulator).uploadFile({ cloudPath: filePath, fileContent: Buffer.from('{}\n') });
      await backdb().add({ data: { _id: `old-${i}`, kind: 'export', jobId: 500 + i, collection: 'users', filePath, status: 'success', createdAt: new Date(old.getTime() + i), updatedAt: old } });
    }
    const fired = await api.fireWeeklyBackup();
    expect(fired.body).toMatchObject({ ok: true, result: { failed: [], pruned: 60, filesDeleted: 60 } });
    expect((await api.jobRecords()).filter((r) => r._id.startsWith('old-'))).toEqual([]);
    expect(emulator.context.storage.list().filter((f) => f.path.startsWith('backup/old/'))).toEqual([]);
  });

  // deleteFile answers per file; one already gone (STORAGE_FILE_NONEXIST) is not counted as deleted,
  // and its record goes: there is nothing left to retry.
  it('prunes an old record whose file is already gone, counting no file deleted', async () => {
    const old = new Date(Date.now() - 9 * WEEK_MS);
    await backdb().add({ data: { _id: 'old-gone', kind: 'export', jobId: 700, collection: 'users', filePath: 'backup/old/never-written.json', status: 'success', createdAt: old, updatedAt: old } });
    const fired = await api.fireWeeklyBackup();
    expect(fired.body).toMatchObject({ ok: true, result: { failed: [], pruned: 1, filesDeleted: 0 } });
    expect((await api.jobRecords()).filter((r) => r._id === 'old-gone')).toEqual([]);
  });
});

describe('createAllJob over more collections than one page of the list', () => {
  it('exports all 105+ collections, paging databasecollectionget by 100', async () => {
    for (let i = 0; i < 105; i++) await api.db().createCollection(`up_many_${String(i).padStart(3, '0')}`);
    await api.resetStats();
    const res = await api.ok<AllJobsResult>('createAllJob');
    const expected = (await collectionNames(emulator)).filter((c) => !EXCLUDED_COLLECTIONS.includes(c));
    expect(expected.length).toBeGreaterThan(105);
    expect(res.failed).toEqual([]);
    expect(res.jobs.map((j) => j.collection).sort()).toEqual(expected);
    expect(await api.wechatCalls('/tcb/databasecollectionget')).toBe(2);
  }, 120_000);
});

describe('restoreJob', () => {
  let exported: StartedJob;
  beforeAll(async () => {
    await api.seed('up_src', [{ _id: 'a', v: 1 }, { _id: 'b', v: 2 }]);
    exported = await api.ok<StartedJob>('createJob', { collection: 'up_src' });
    await api.waitForUrl(exported.job_id);
  });

  it("mode 'upsert' replaces documents whose _id exists, adds the others and keeps the rest", async () => {
    await api.seed('up_target_upsert', [{ _id: 'a', v: 99, stale: true }, { _id: 'c', v: 3 }]);
    const restore = await api.ok<StartedJob & { mode: string }>('restoreJob', { job_id: exported.job_id, collection: 'up_target_upsert', mode: 'upsert' });
    expect(restore.mode).toBe('upsert');
    expect(await api.waitForWechatJob(restore.job_id)).toMatchObject({ status: 'success', record_success: 2, record_fail: 0 });
    expect(await api.contents('up_target_upsert')).toEqual([{ _id: 'a', v: 1 }, { _id: 'b', v: 2 }, { _id: 'c', v: 3 }]);
  });

  it("mode 'insert' (the default) leaves a document whose _id exists as it was and counts it failed", async () => {
    await api.seed('up_target_insert', [{ _id: 'a', v: 99 }]);
    const restore = await api.ok<StartedJob & { mode: string }>('restoreJob', { job_id: exported.job_id, collection: 'up_target_insert' });
    expect(restore.mode).toBe('insert');
    expect(await api.waitForWechatJob(restore.job_id)).toMatchObject({ status: 'success', record_success: 1, record_fail: 1 });
    expect(await api.contents('up_target_insert')).toEqual([{ _id: 'a', v: 99 }, { _id: 'b', v: 2 }]);
  });
});

describe('listJobs', () => {
  let seeded: number[];
  beforeAll(async () => {
    // Finished records a minute apart (finished: listJobs asks WeChat nothing about them), newest last.
    const base = Date.now() + 3600_000;
    seeded = Array.from({ length: 25 }, (_, i) => 9000 + i);
    for (const [i, jobId] of seeded.entries()) {
      const at = new Date(base + i * 60_000);
      await backdb().add({ data: { _id: `list-${i}`, kind: 'export', jobId, collection: 'users', filePath: `backup/list/${i}.json`, status: 'success', createdAt: at, updatedAt: at } });
    }
  });

  it('lists the 20 most recent jobs, newest first, when no limit is given', async () => {
    const listed = await api.ok<ListedJob[]>('listJobs');
    expect(listed.map((j) => j.job_id)).toEqual([...seeded].reverse().slice(0, 20));
  });

  it('lists as many as limit says, newest first', async () => {
    expect((await api.ok<ListedJob[]>('listJobs', { limit: 3 })).map((j) => j.job_id)).toEqual([9024, 9023, 9022]);
  });
});
