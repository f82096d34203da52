// backdb getJobUrl (not ready, ready, reused, re-fetched after expiry, unknown, failed), restoreJob,
// and who may use backups at all. Download URLs are trusted for 2 s here (BACKUP_URL_TTL_SECONDS)
// and an export stays 'migrating' for 1 s, so both states can be observed.
import { backdbApi, type ListedJob, type StartedJob } from '../support/backdb-api';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

const URL_TTL_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let emulator: TestEmulator;
let api: ReturnType<typeof backdbApi>;
beforeAll(async () => {
  emulator = await startTestEmulator({ exportJobDelayMs: 1000, functionEnv: { BACKUP_URL_TTL_SECONDS: String(URL_TTL_MS / 1000) } });
  api = backdbApi(emulator);
  await api.seed('bk_notes', [
    { _id: 'n1', text: 'hello', at: new Date('2024-01-01T00:00:00.000Z') },
    { _id: 'n2', text: '你好', tags: ['a', 'b'], nested: { level: 2, ok: true } },
  ]);
});
afterAll(() => emulator.close());

const recordOf = async (jobId: number) => (await api.jobRecords()).find((r) => r.jobId === jobId);

describe('getJobUrl', () => {
  let job: StartedJob;
  let url: string;
  beforeAll(async () => {
    job = await api.ok<StartedJob>('createJob', { collection: 'bk_notes' });
  });

  it('answers JOB_NOT_READY with the status while the export is still running', async () => {
    expect(await api.rejected('getJobUrl', { job_id: job.job_id })).toMatch(/JOB_NOT_READY: .*not finished.*status: migrating/);
    expect(await recordOf(job.job_id)).toMatchObject({ status: 'migrating' });
  });

  it('returns a download URL of the collection once the export has completed, and saves it', async () => {
    url = await api.waitForUrl(job.job_id);
    expect(await api.download(url)).toEqual(await api.contents('bk_notes'));
    expect(await recordOf(job.job_id)).toMatchObject({ status: 'success', fileUrl: url, fileUrlExpiresAt: expect.any(Date), recordSuccess: 2 });
    const listed = (await api.ok<ListedJob[]>('listJobs')).find((j) => j.job_id === job.job_id);
    expect(listed).toMatchObject({ status: 'success', has_url: true });
  });

  it('hands back the saved URL while it is valid without asking WeChat again', async () => {
    await api.resetStats();
    expect(await api.ok('getJobUrl', { job_id: job.job_id })).toBe(url);
    expect(await api.ok('getJobUrl', { job_id: String(job.job_id) })).toBe(url);
    expect(await api.wechatCalls('/tcb/databasemigratequeryinfo')).toBe(0);
  });

  it('asks WeChat for a new URL once the saved one has expired', async () => {
    const before = (await recordOf(job.job_id))?.fileUrlExpiresAt as Date;
    await sleep(before.getTime() - Date.now() + 100);
    await api.resetStats();
    const renewed = await api.ok<string>('getJobUrl', { job_id: job.job_id });
    expect(await api.wechatCalls('/tcb/databasemigratequeryinfo')).toBe(1);
    expect(renewed).not.toBe(url);
    expect(await api.download(renewed)).toEqual(await api.contents('bk_notes'));
    expect(((await recordOf(job.job_id))?.fileUrlExpiresAt as Date).getTime()).toBeGreaterThan(before.getTime());
  });

  it('answers NOT_FOUND for a job it never started', async () => {
    expect(await api.rejected('getJobUrl', { job_id: 987654 })).toMatch(/NOT_FOUND: .*987654/);
    expect(await api.rejected('getJobUrl', { job_id: 'abc' })).toMatch(/INVALID_PARAMS: job_id/);
  });

  // An export holds the collection as of WeChat's receipt of the request, so the collection is
  // dropped after createJob has checked that it exists and before the request is handled (held by a delay fault).
  it('reports an export whose collection was gone when WeChat handled the request as failed', async () => {
    await api.seed('bk_doomed', [{ _id: 'd1' }]);
    const received = await api.wechatCalls('/tcb/databasemigrateexport');
    await api.fault({ path: '/tcb/databasemigrateexport', kind: 'delay', delayMs: 2000, times: 1 });
    const creating = api.ok<StartedJob>('createJob', { collection: 'bk_doomed' });
    while ((await api.wechatCalls('/tcb/databasemigrateexport')) === received) await sleep(10);
    await emulator.context.store.dropCollection('bk_doomed');
    const doomed = await creating;
    await api.waitForWechatJob(doomed.job_id);
    const message = await api.rejected('getJobUrl', { job_id: doomed.job_id });
    expect(message).toMatch(/JOB_NOT_READY: .*fail/);
    expect(message).toMatch(/status: fail/);
    expect(await recordOf(doomed.job_id)).toMatchObject({ status: 'fail', errMsg: expect.stringMatching(/bk_doomed/) });
    expect((await api.ok<ListedJob[]>('listJobs')).find((j) => j.job_id === doomed.job_id)).toMatchObject({ status: 'fail', has_url: false });
  });
});

describe('restoreJob', () => {
  let exported: StartedJob;
  beforeAll(async () => {
    exported = await api.ok<StartedJob>('createJob', { collection: 'bk_notes' });
  });

  it('refuses an export that has not finished yet', async () => {
    expect(await api.rejected('restoreJob', { job_id: exported.job_id, collection: 'bk_too_early' })).toMatch(/JOB_NOT_READY: .*migrating/);
  });

  it('imports a finished export into a new collection, which then holds the original documents', async () => {
    await api.waitForUrl(exported.job_id);
    const restore = await api.ok<StartedJob & { mode: string }>('restoreJob', { job_id: exported.job_id, collection: 'bk_notes_restored' });
    expect(restore).toEqual({ job_id: expect.any(Number), collection: 'bk_notes_restored', file_path: exported.file_path, mode: 'insert' });
    expect(await recordOf(restore.job_id)).toMatchObject({ kind: 'import', collection: 'bk_notes_restored', filePath: exported.file_path });
    expect(await api.waitForWechatJob(restore.job_id)).toMatchObject({ status: 'success', record_success: 2, record_fail: 0 });
    expect(await api.contents('bk_notes_restored')).toEqual(await api.contents('bk_notes'));
  });

  it('answers getJobUrl for a restore job with the restore\'s status instead of a URL, and lists it', async () => {
    const [restore] = (await api.jobRecords()).filter((r) => r.kind === 'import' && r.collection === 'bk_notes_restored');
    expect(await api.rejected('getJobUrl', { job_id: restore?.jobId })).toMatch(/NOT_FOUND: no export job \d+: it is a restore into bk_notes_restored \(status: success/);
    expect((await api.ok<ListedJob[]>('listJobs')).find((j) => j.job_id === restore?.jobId)).toMatchObject({ kind: 'import', status: 'success', has_url: false });
  });

  it('restores an older export with its own documents after a newer export of the same collection', async () => {
    await api.seed('bk_history', [{ _id: 'h1', v: 1 }]);
    const older = await api.ok<StartedJob>('createJob', { collection: 'bk_history' });
    const olderUrl = await api.waitForUrl(older.job_id);
    await api.db().collection('bk_history').add({ data: { _id: 'h2', v: 2 } });
    const newer = await api.ok<StartedJob>('createJob', { collection: 'bk_history' });
    expect(await api.download(await api.waitForUrl(newer.job_id))).toEqual([{ _id: 'h1', v: 1 }, { _id: 'h2', v: 2 }]);

    expect(await api.download(olderUrl)).toEqual([{ _id: 'h1', v: 1 }]);
    const restore = await api.ok<StartedJob>('restoreJob', { job_id: older.job_id, collection: 'bk_history_v1' });
    await api.waitForWechatJob(restore.job_id);
    expect(await api.contents('bk_history_v1')).toEqual([{ _id: 'h1', v: 1 }]);
  });

  it('answers NOT_FOUND for a job it never started', async () => {
    expect(await api.rejected('restoreJob', { job_id: 987654, collection: 'bk_nowhere' })).toMatch(/NOT_FOUND: .*987654/);
  });

  it('refuses an end user, even one granted the backdb feature, and starts no import', async () => {
    await api.registerAdmin('o_backdb_restorer');
    const imports = await api.wechatCalls('/tcb/databasemigrateimport');
    const writes = await api.writes();
    expect(await api.rejected('restoreJob', { job_id: exported.job_id, collection: 'bk_by_user' }, 'o_backdb_restorer')).toMatch(/FORBIDDEN/);
    expect(await api.wechatCalls('/tcb/databasemigrateimport')).toBe(imports);
    expect(await api.writes()).toBe(writes);
  });
});

describe('who may use backups', () => {
  let finished: StartedJob;
  beforeAll(async () => {
    finished = await api.ok<StartedJob>('createJob', { collection: 'bk_notes' });
    await api.waitForUrl(finished.job_id);
    await emulator.callFunction('common', { name: 'login' }, 'o_backdb_plain');
    await api.registerAdmin('o_backdb_admin');
  });

  /** Asserts that the call is refused with FORBIDDEN and leaves the database and WeChat untouched. */
  const expectRefusedWithoutEffect = async (name: string, data: Record<string, unknown>, openid: string) => {
    const writes = await api.writes();
    const exports = await api.wechatCalls('/tcb/databasemigrateexport');
    expect(await api.rejected(name, data, openid)).toMatch(/FORBIDDEN/);
    expect(await api.writes()).toBe(writes);
    expect(await api.wechatCalls('/tcb/databasemigrateexport')).toBe(exports);
  };

  it.each([
    ['createAllJob', {}],
    ['createJob', { collection: 'bk_notes' }],
    ['listJobs', {}],
    ['getJobUrl', () => ({ job_id: finished.job_id })],
  ] as const)('refuses %s from an end user without the backdb feature, writing nothing', async (name, data) => {
    await expectRefusedWithoutEffect(name, typeof data === 'function' ? data() : data, 'o_backdb_plain');
  });

  it.each([
    ['createAllJob', {}],
    ['createJob', { collection: 'bk_notes' }],
    ['getJobUrl', () => ({ job_id: finished.job_id })],
  ] as const)('refuses %s from an end user who passes an access_token, even with the feature', async (name, data) => {
    const token = await api.stableToken();
    await expectRefusedWithoutEffect(name, { ...(typeof data === 'function' ? data() : data), access_token: token }, 'o_backdb_admin');
  });

  it('lets an end user granted the feature run createJob, listJobs and getJobUrl', async () => {
    const job = await api.ok<StartedJob>('createJob', { collection: 'bk_notes' }, 'o_backdb_admin');
    expect(job.collection).toBe('bk_notes');
    expect((await api.ok<ListedJob[]>('listJobs', {}, 'o_backdb_admin')).map((j) => j.job_id)).toContain(job.job_id);
    const url = await api.waitForUrl(job.job_id, 'o_backdb_admin');
    expect(await api.download(url)).toEqual(await api.contents('bk_notes'));
  });

  it('lets a server-side caller pass its own access_token', async () => {
    const job = await api.ok<StartedJob>('createJob', { collection: 'bk_notes', access_token: await api.stableToken() });
    expect(await recordOf(job.job_id)).toMatchObject({ collection: 'bk_notes' });
  });
});
