// backdb.listJobs shows each job's current status (issue 11 item 9): unfinished jobs are asked
// about at WeChat (databasemigratequeryinfo, one job_id per call: developers.weixin.qq.com
// reference-http-api/database/databaseMigrateQueryInfo) when they are listed; finished ones
// (success, fail: the documented final states) are not asked about again. The oracle for a job's
// status is the WeChat stand-in's own answer for that job (waitForWechatJob), not listJobs.
import { backdbApi, type ListedJob, type StartedJob } from '../support/backdb-api';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

const ADMIN = 'o_lj_admin';
let emulator: TestEmulator;
let api: ReturnType<typeof backdbApi>;
beforeAll(async () => {
  emulator = await startTestEmulator({ exportJobDelayMs: 0 });
  api = backdbApi(emulator);
  await api.seed('lj_books', [{ _id: 'b1', title: 'Dune' }, { _id: 'b2', title: 'Solaris' }]);
  await api.registerAdmin(ADMIN);
});
afterAll(() => emulator.close());
// A test that holds WeChat's jobs at "migrating" never leaves them held for the next one.
afterEach(() => api.releaseJobs());

const listed = async (jobId: number, openid?: string) => (await api.ok<Array<ListedJob & { status_error?: string }>>('listJobs', { limit: 100 }, openid)).find((j) => j.job_id === jobId);

describe('a finished export', () => {
  let job: StartedJob;
  beforeAll(async () => {
    await api.holdJobs();
    job = await api.ok<StartedJob>('createJob', { collection: 'lj_books' });
  });

  it('is listed with WeChat\'s current status, migrating, while WeChat still runs it', async () => {
    expect(await listed(job.job_id)).toMatchObject({ job_id: job.job_id, status: 'migrating', has_url: false });
  });

  it('is listed as success with a download URL once WeChat has finished it, without getJobUrl being called', async () => {
    const atWechat = await api.waitForWechatJob(job.job_id);
    expect(atWechat.status).toBe('success');
    await api.resetStats();
    expect(await listed(job.job_id)).toMatchObject({ status: 'success', has_url: true, err_msg: expect.any(String) });
    expect(await api.wechatCalls('/tcb/databasemigratequeryinfo')).toBe(1);
    expect(await api.jobRecords()).toEqual(expect.arrayContaining([expect.objectContaining({ jobId: job.job_id, status: 'success', fileUrl: expect.any(String), recordSuccess: 2 })]));
  });

  it('is not asked about again: a finished job is final', async () => {
    await api.resetStats();
    expect((await listed(job.job_id))?.status).toBe('success');
    expect(await api.wechatCalls('/tcb/databasemigratequeryinfo')).toBe(0);
  });

  it('is listed as success to an end user granted the backdb feature too', async () => {
    expect(await listed(job.job_id, ADMIN)).toMatchObject({ status: 'success', has_url: true });
  });
});

describe('several unfinished jobs', () => {
  it('are all brought up to date by one listing, one WeChat query each', async () => {
    const jobs = [await api.ok<StartedJob>('createJob', { collection: 'lj_books' }), await api.ok<StartedJob>('createJob', { collection: 'users' })];
    for (const job of jobs) expect((await api.waitForWechatJob(job.job_id)).status).toBe('success');
    await api.resetStats();
    const list = await api.ok<ListedJob[]>('listJobs', { limit: 100 });
    for (const job of jobs) expect(list.find((j) => j.job_id === job.job_id)).toMatchObject({ status: 'success', has_url: true });
    expect(await api.wechatCalls('/tcb/databasemigratequeryinfo')).toBe(jobs.length);
  });
});

describe('when WeChat cannot be asked', () => {
  it('still lists the job with its last known status and says why it is not current', async () => {
    await api.holdJobs();
    const job = await api.ok<StartedJob>('createJob', { collection: 'lj_books' });
    const before = (await api.jobRecords()).find((r) => r.jobId === job.job_id);
    expect(before?.status).toBe('running');
    await api.fault({ path: '/tcb/databasemigratequeryinfo', kind: 'http500', times: 1 });
    const row = await listed(job.job_id);
    expect(row).toMatchObject({ status: 'running', status_error: expect.stringMatching(/WeChat/) });
  });
});
