// restoreJob: import a finished export back into a named collection (databasemigrateimport),
// inserting or upserting. Server-side callers only: a restore overwrites data.
import { z } from 'zod';
import { config } from '../../../shared/config';
import { AppError } from '../../../shared/errors/app-error';
import { defineHandler } from '../../../shared/router/define-handler';
import { collectionNameSchema } from '../../../shared/validation';
import { backupEnv } from '../access';
import { jobIdSchema } from '../job-id';

export const restoreJob = defineHandler({
  allow: ['server'],
  input: z.object({
    access_token: z.string().min(1).max(512).optional(),
    job_id: jobIdSchema,
    collection: collectionNameSchema,
    mode: z.enum(['insert', 'upsert']).default('insert'),
  }),
  async run({ input, ctx }) {
    const job = await ctx.backupJobs.findByJobId(input.job_id);
    if (!job || job.kind !== 'export') throw new AppError('NOT_FOUND', `no export job ${input.job_id}`);
    const env = backupEnv(ctx, config('backup').BACKUP_ENV);
    const info = await ctx.wechat.migrationInfo(env, job.jobId, input.access_token);
    if (info.status !== 'success') throw new AppError('JOB_NOT_READY', `export ${job.jobId} is not finished (status: ${info.status})`);
    const importJobId = await ctx.wechat.importCollection(env, input.collection, job.filePath, input.mode === 'upsert', input.access_token);
    await ctx.backupJobs.save({ kind: 'import', jobId: importJobId, collection: input.collection, filePath: job.filePath, status: 'running' });
    return { job_id: importJobId, collection: input.collection, file_path: job.filePath, mode: input.mode };
  },
});
