// getJobUrl: the download URL of a finished export. The saved URL is reused until it expires;
// otherwise WeChat is asked (databasemigratequeryinfo) and the answer saved. For a restore job
// it answers NOT_FOUND with the restore's status (recorded, so listJobs shows its progress).
import { z } from 'zod';
import { config } from '../../../shared/config';
import { AppError } from '../../../shared/errors/app-error';
import { defineHandler } from '../../../shared/router/define-handler';
import { assertMayBackup, backupEnv } from '../access';
import { jobIdSchema } from '../job-id';

export const getJobUrl = defineHandler({
  allow: ['server', 'user'],
  input: z.object({ access_token: z.string().min(1).max(512).optional(), job_id: jobIdSchema }),
  async run({ input, ctx }): Promise<string> {
    await assertMayBackup(ctx, input.access_token);
    const job = await ctx.backupJobs.findByJobId(input.job_id);
    if (!job) throw new AppError('NOT_FOUND', `no backup job ${input.job_id}`);
    if (job.fileUrl && job.fileUrlExpiresAt && job.fileUrlExpiresAt > ctx.now()) return job.fileUrl;
    const info = await ctx.wechat.migrationInfo(backupEnv(ctx, config('backup').BACKUP_ENV), job.jobId, input.access_token);
    const message = info.err_msg || info.error_msg || '';
    if (job.kind === 'import') {
      // A restore has no download file; asking still refreshes the status listJobs shows.
      await ctx.backupJobs.record(job._id, { status: info.status, errMsg: message });
      throw new AppError('NOT_FOUND', `no export job ${job.jobId}: it is a restore into ${job.collection} (status: ${info.status}${message ? `, WeChat: ${message}` : ''})`, { details: { status: info.status } });
    }
    if (info.status !== 'success' || !info.file_url) {
      await ctx.backupJobs.record(job._id, { status: info.status, errMsg: message });
      throw new AppError('JOB_NOT_READY', `job ${job.jobId} is ${info.status === 'fail' ? 'failed' : 'not finished'} (status: ${info.status}${message ? `, WeChat: ${message}` : ''})`, { details: { status: info.status } });
    }
    const expiresAt = new Date(ctx.now().getTime() + config('backup').BACKUP_URL_TTL_SECONDS * 1000);
    await ctx.backupJobs.record(job._id, { status: 'success', errMsg: message, fileUrl: info.file_url, fileUrlExpiresAt: expiresAt, recordSuccess: info.record_success });
    return info.file_url;
  },
});
