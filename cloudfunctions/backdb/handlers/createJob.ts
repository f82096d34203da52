// createJob: export one named collection (it must exist) and save the job record.
import { z } from 'zod';
import { config } from '../../../shared/config';
import { AppError } from '../../../shared/errors/app-error';
import { defineHandler } from '../../../shared/router/define-handler';
import { collectionNameSchema } from '../../../shared/validation';
import { assertMayBackup, backupEnv } from '../access';
import { startExports } from '../export-jobs';

export const createJob = defineHandler({
  allow: ['server', 'user'],
  input: z.object({ access_token: z.string().min(1).max(512).optional(), collection: collectionNameSchema }),
  async run({ input, ctx }) {
    await assertMayBackup(ctx, input.access_token);
    const env = backupEnv(ctx, config('backup').BACKUP_ENV);
    const existing = await ctx.wechat.listCollections(env, input.access_token);
    if (!existing.some((c) => c.name === input.collection)) throw new AppError('NOT_FOUND', `collection ${input.collection} does not exist`);
    const { jobs, failed } = await startExports(ctx, env, [input.collection], input.access_token);
    if (failed[0]) throw new AppError('UPSTREAM', `export of ${input.collection} failed: ${failed[0].error}`);
    return jobs[0];
  },
});
