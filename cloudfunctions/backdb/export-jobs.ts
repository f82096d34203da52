// Starting export jobs: one per collection, with bounded concurrency; each started job is saved
// in the backdb collection. One failing collection does not stop the others.
import { config } from '../../shared/config';
import type { HandlerContext } from '../../shared/context';
import { toAppError } from '../../shared/errors/app-error';
import { formatShanghai } from '../../shared/time';

export interface StartedJob { collection: string; job_id: number; file_path: string }
export interface FailedJob { collection: string; error: string }

export function backupFilePath(collectionName: string, now: Date): string {
  const day = formatShanghai(now).slice(0, 10);
  return `${config('backup').BACKUP_PATH_PREFIX}/${day}/${collectionName}.json`;
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
