// Starting export jobs: one per collection, with bounded concurrency; each started job is saved
// in the backdb collection. One failing collection does not stop the others.
import { randomBytes } from 'node:crypto';
import { config } from '../../shared/config';
import type { HandlerContext } from '../../shared/context';
import { toAppError } from '../../shared/errors/app-error';
import { formatShanghai } from '../../shared/time';

export interface StartedJob { collection: string; job_id: number; file_path: string }
export interface FailedJob { collection: string; error: string }

/**
 * Where one export is written: unique per export (time of day plus a random suffix), so a later
 * export of the same collection never overwrites the file an earlier job's URL and restore read.
 */
export function backupFilePath(collectionName: string, now: Date): string {
  const [day, time] = formatShanghai(now).split(' ') as [string, string];
  return `${config('backup').BACKUP_PATH_PREFIX}/${day}/${collectionName}-${time.replace(/:/g, '')}-${randomBytes(4).toString('hex')}.json`;
}

export async function startExports(ctx: HandlerContext, env: string, collections: readonly string[], accessToken?: string): Promise<{ jobs: StartedJob[]; failed: FailedJob[] }> {
  const jobs: StartedJob[] = [];
  const failed: FailedJob[] = [];
  const queue = [...collections];
  const now = ctx.now();
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const filePath = backupFilePath(name, now);
      try {
        const jobId = await ctx.wechat.exportCollection(env, name, filePath, accessToken);
        await ctx.backupJobs.save({ kind: 'export', jobId, collection: name, filePath, status: 'running' });
        jobs.push({ collection: name, job_id: jobId, file_path: filePath });
      } catch (err) {
        failed.push({ collection: name, error: toAppError(err).code === 'INTERNAL' ? 'internal error' : toAppError(err).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(config('backup').BACKUP_CONCURRENCY, queue.length) }, worker));
  return { jobs, failed };
}
