// The WeChat stand-in's job list across a crash (issue 24). Nothing runs when a process is killed,
// so opening the jobs file again is what the next start does: a job whose work was still under way
// is no longer running (WeChat's final states are success and fail, developers.weixin.qq.com
// databaseMigrateQueryInfo) and says why, and no id is handed out twice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SavedJobs, statusAt } from '../../emulator/wechat/saved-jobs';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-jobs-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const fields = (status: 'migrating' | 'success') => ({ kind: 'export' as const, collection: 'users', filePath: 'backup/users.json', status, readyAt: Date.now() + 60_000, recordSuccess: status === 'success' ? 2 : 0, recordFail: 0, errMsg: '' });

test('a job cut off by a crash is failed with the reason after the restart; finished jobs and ids are kept', () => {
  const file = path.join(dir, 'wechat', 'migration-jobs.json');
  const before = new SavedJobs(file);
  const done = before.create(fields('success'));
  const cut = before.create(fields('migrating'));
  // (the process dies here: no close, no save beyond what create wrote)

  const after = new SavedJobs(file);
  const now = Date.now();
  expect(statusAt(after.get(cut.jobId)!, now)).toBe('fail');
  expect(after.get(cut.jobId)?.errMsg).toMatch(/^the emulator stopped before this job finished/);
  expect(after.get(done.jobId)).toMatchObject({ status: 'success', recordSuccess: 2, filePath: 'backup/users.json' });
  const next = after.create(fields('success'));
  expect([done.jobId, cut.jobId]).not.toContain(next.jobId);
  expect(new SavedJobs(file).size).toBe(3);
});
