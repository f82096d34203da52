// Bringing the status of unfinished jobs up to date before they are shown. WeChat's
// databasemigratequeryinfo takes one job_id per call and has no batch form
// (developers.weixin.qq.com .../database/databaseMigrateQueryInfo), so the unfinished jobs of a
// listing are asked about together in one round: in parallel, at most BACKUP_CONCURRENCY at a time,
// sharing the cached access token. Finished jobs (success, fail) are never asked about again.
import { config } from '../../shared/config';
import type { HandlerContext } from '../../shared/context';
import type { BackupJobDoc } from '../../shared/db/backdb-jobs';
import { toAppError } from '../../shared/errors/app-error';
import { backupEnv } from './access';

/** WeChat's final states; waiting, reading, writing, migrating (and our own `running`) are not. */
export const isFinished = (status: string): boolean => status === 'success' || status === 'fail';

export interface RefreshedJob extends BackupJobDoc {
  /** Why the status could not be refreshed this time (the last known status is shown). */
  refreshError?: string;
}

export async function refreshUnfinished(ctx: HandlerContext, jobs: readonly BackupJobDoc[]): Promise<RefreshedJob[]> {
  const out: RefreshedJob[] = [...jobs];
  const queue = jobs.map((job, index) => ({ job, index })).filter(({ job }) => !isFinished(job.status));
  if (queue.length === 0) return out;
  const env = backupEnv(ctx, config('backup').BACKUP_ENV);
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const { job, index } = next;
      try {
        out[index] = await refreshOne(ctx, env, job);
      } catch (err) {
        const appError = toAppError(err);
        out[index] = { ...job, refreshError: appError.code === 'INTERNAL' ? 'internal error' : appError.message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(config('backup').BACKUP_CONCURRENCY, queue.length) }, worker));
  return out;
}

async function refreshOne(ctx: HandlerContext, env: string, job: BackupJobDoc): Promise<BackupJobDoc> {
  const info = await ctx.wechat.migrationInfo(env, job.jobId);
  const errMsg = info.err_msg || info.error_msg || '';
  const fields: Partial<BackupJobDoc> = { status: info.status, errMsg };
  if (job.kind === 'export' && info.status === 'success' && info.file_url) {
    Object.assign(fields, { fileUrl: info.file_url, fileUrlExpiresAt: new Date(ctx.now().getTime() + config('backup').BACKUP_URL_TTL_SECONDS * 1000), recordSuccess: info.record_success });
  }
  if (info.status !== job.status || errMsg !== (job.errMsg ?? '') || fields.fileUrl) await ctx.backupJobs.record(job._id, fields);
  return { ...job, ...fields };
}
