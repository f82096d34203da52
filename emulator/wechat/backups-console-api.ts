// Backups screen API: the WeChat stand-in's database export/import jobs, newest first, each
// with the status a poll by the function would see, and a signed download link once an export
// has finished.
import type { ApiTable } from '../http/api-table';
import type { MigrationJobs } from './migration-jobs';
import { statusAt } from './saved-jobs';
import type { WechatState } from './wechat-state';

export const backupsConsoleRoutes = (wechat: WechatState, migrations: MigrationJobs) => ({
  backups: ['GET', /^\/_emulator\/console\/backups$/, async () => {
    const now = Date.now();
    const jobs = [...wechat.jobs.values()].sort((a, b) => b.jobId - a.jobId);
    return jobs.map((job) => ({
      jobId: job.jobId,
      kind: job.kind,
      collection: job.collection,
      filePath: job.filePath,
      status: statusAt(job, now),
      recordSuccess: job.recordSuccess,
      recordFail: job.recordFail,
      message: job.errMsg,
      downloadUrl: job.kind === 'export' && statusAt(job, now) === 'success' ? migrations.downloadUrl(job.filePath, now) : null,
    }));
  }],
}) satisfies ApiTable;
