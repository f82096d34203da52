// Backups across an emulator restart on a data folder (issue 24), through the backdb function as a
// client calls it. WeChat's export jobs are the platform's, not the caller's: a job_id names one job
// for good and its status and file stay queryable (developers.weixin.qq.com, databaseMigrateQueryInfo:
// status waiting/reading/writing/migrating/success/fail, file_url of the export), so after a restart
// listJobs shows no job still running and no id twice, getJobUrl hands back each job's own file and
// restoreJob imports an export made before the restart.
// An export holds the data as of the request (databaseMigrateExport starts the job then; the
// stand-in keeps it "migrating" for exportJobDelayMs): a user registered after the request is not
// in the file however late it is read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backdbApi, type ListedJob, type StartedJob } from '../support/backdb-api';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

jest.setTimeout(60_000);

let dataDir: string;
let emulator: TestEmulator | undefined;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backdb-restart-'));
});
afterAll(async () => {
  await emulator?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const start = async () => {
  emulator = await startTestEmulator({ inMemory: false, dataDir, exportJobDelayMs: 500 });
  return backdbApi(emulator);
};
const register = (openid: string) => (emulator as TestEmulator).callFunction('common', { name: 'login' }, openid);
const openids = (docs: Array<Record<string, unknown>>) => docs.map((d) => d.openid as string).sort();

test('an export holds the data as of its request; after a restart jobs are neither running nor reused, and their files and restores work', async () => {
  let api = await start();
  await register('o_restart_1');
  await register('o_restart_2');
  await api.seed('bk_restart_notes', [{ _id: 'n1', text: 'before' }]);

  const users = await api.ok<StartedJob>('createJob', { collection: 'users' });
  await register('o_restart_late'); // after the request: not in the export
  const notes = await api.ok<StartedJob>('createJob', { collection: 'bk_restart_notes' });
  // Waited for on the stand-in itself, so backdb has saved no URL and must ask WeChat after the restart.
  expect(await api.waitForWechatJob(users.job_id)).toMatchObject({ status: 'success', record_success: 2 });
  await api.waitForWechatJob(notes.job_id);
  const atStop = await api.ok<StartedJob>('createJob', { collection: 'bk_restart_notes' }); // still being written when the stop begins
  await (emulator as TestEmulator).close();
  emulator = undefined;

  api = await start();
  await api.db().collection('bk_restart_notes').doc('n1').update({ data: { text: 'after the restart' } });
  const later = await api.ok<StartedJob>('createJob', { collection: 'bk_restart_notes' });
  const before = [users.job_id, notes.job_id, atStop.job_id];
  expect(before).not.toContain(later.job_id);
  expect(later.job_id).toBeGreaterThan(Math.max(...before));

  await api.waitForWechatJob(later.job_id);
  const listed = await api.ok<ListedJob[]>('listJobs', { limit: 100 });
  expect(listed.map((j) => j.job_id).sort()).toEqual([...before, later.job_id].sort());
  expect(new Set(listed.map((j) => j.job_id)).size).toBe(listed.length);
  for (const job of listed) expect(job).toMatchObject({ status: 'success' });
  expect(listed.filter((j) => 'status_error' in j)).toEqual([]);

  // Each job's own file: the users as of the first request, the notes before and after the change.
  const usersFile = await api.download(await api.waitForUrl(users.job_id));
  expect(openids(usersFile)).toEqual(['o_restart_1', 'o_restart_2']);
  expect((await api.download(await api.waitForUrl(notes.job_id))).map((d) => d.text)).toEqual(['before']);
  expect((await api.download(await api.waitForUrl(atStop.job_id))).map((d) => d.text)).toEqual(['before']);
  expect((await api.download(await api.waitForUrl(later.job_id))).map((d) => d.text)).toEqual(['after the restart']);

  // A restore of the export made before the restart.
  const restore = await api.ok<{ job_id: number }>('restoreJob', { job_id: users.job_id, collection: 'bk_restored_users' });
  expect([...before, later.job_id]).not.toContain(restore.job_id);
  expect(await api.waitForWechatJob(restore.job_id)).toMatchObject({ status: 'success', record_success: 2, record_fail: 0 });
  expect(openids(await api.contents('bk_restored_users'))).toEqual(['o_restart_1', 'o_restart_2']);
});
