// Backups screen API: the WeChat stand-in's database export/import jobs, newest first, each
// with the status a poll by the function would see, and a signed download link once an export
// has finished.
import { statusAt } from '../../wechat/migration-jobs';
import type { ApiRoute } from './api-router';

export const backupRoutes: ApiRoute[] = [
  ['GET', /^\/_emulator\/console\/backups$/, async ({ ctx }) => {
    const now = Date.now();
    const jobs = [...ctx.wechat.jobs.values()].sort((a, b) => b.jobId - a.jobId);
    return jobs.map((job) => ({
      jobId: job.jobId,
      kind: job.kind,
      collection: job.collection,
      filePath: job.filePath,
      status: statusAt(job, now),
      recordSuccess: job.recordSuccess,
      recordFail: job.recordFail,
      message: job.errMsg,
      downloadUrl: job.kind === 'export' && statusAt(job, now) === 'success' ? ctx.migrations.downloadUrl(job.filePath, now) : null,
    }));
  }],
];
