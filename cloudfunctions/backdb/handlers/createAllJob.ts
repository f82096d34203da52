// createAllJob: export every collection of the environment (all pages of databasecollectionget),
// save one backdb record per job, and prune records older than the retention with their export
// files. The weekly timer runs this, and nobody reads its answer: a backup that fails or finds
// nothing to export says so in one error line of the function's log.
import { z } from 'zod';
import { config } from '../../../shared/config';
import { logFailure } from '../../../shared/log';
import { defineHandler } from '../../../shared/router/define-handler';
import { assertMayBackup, backupEnv } from '../access';
import { startExports } from '../export-jobs';
import { pruneOldJobs } from '../retention';

const WEEK_MS = 7 * 24 * 3600 * 1000;

export const createAllJob = defineHandler({
  allow: ['server', 'timer', 'user'],
  input: z.object({ access_token: z.string().min(1).max(512).optional() }),
  async run({ input, ctx }) {
    await assertMayBackup(ctx, input.access_token);
    const { BACKUP_ENV, BACKUP_EXCLUDE, BACKUP_RETENTION_WEEKS } = config('backup');
    const env = backupEnv(ctx, BACKUP_ENV);
    const excluded = new Set(BACKUP_EXCLUDE.split(',').map((s) => s.trim()));
    const collections = (await ctx.wechat.listCollections(env, input.access_token)).map((c) => c.name).filter((n) => !excluded.has(n));
    const { jobs, failed } = await startExports(ctx, env, collections, input.access_token);
    if (collections.length === 0) logFailure(`backdb backup of ${env} exported nothing: no collection to export (excluded: ${[...excluded].join(', ') || 'none'})`);
    else if (failed.length > 0) logFailure(`backdb backup of ${env}: ${failed.length} of ${collections.length} exports failed to start: ${failed.map((f) => `${f.collection} (${f.error})`).join('; ')}`);
    const { pruned, filesDeleted } = await pruneOldJobs(ctx, env, new Date(ctx.now().getTime() - BACKUP_RETENTION_WEEKS * WEEK_MS));
    return { jobs, failed, pruned, filesDeleted };
  },
});
