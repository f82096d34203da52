// Retention: job records older than the retention are removed, and so are the export files of
// the export jobs among them (through cloud storage's deleteFile, by file ID). A file is deleted
// before its record, so a failure leaves the record to retry on the next run, never an orphan.
import { config } from '../../shared/config';
import type { HandlerContext } from '../../shared/context';
import { logError } from '../../shared/log';

/** CloudBase's deleteFile takes at most 50 file IDs per call. */
const BATCH = 50;

export async function pruneOldJobs(ctx: HandlerContext, env: string, cutoff: Date): Promise<{ pruned: number; filesDeleted: number }> {
  const { BACKUP_STORAGE_BUCKET: bucket } = config('backup');
  let pruned = 0;
  let filesDeleted = 0;
  for (;;) {
    const records = await ctx.backupJobs.olderThan(cutoff, BATCH);
    if (records.length === 0) break;
    const exportFiles = records.filter((r) => r.kind === 'export').map((r) => `cloud://${env}.${bucket}/${r.filePath}`);
    if (bucket && exportFiles.length > 0) {
      try {
        filesDeleted += (await ctx.storage.deleteFiles(exportFiles)).length;
      } catch (err) {
        // The records stay, so the next run tries their files again.
        logError('backdb retention could not delete export files', err);
        break;
      }
    }
    const removed = await ctx.backupJobs.removeIds(records.map((r) => r._id));
    pruned += removed;
    if (removed === 0) break;
  }
  if (!bucket && pruned > 0) console.warn(`[warn] backdb retention: BACKUP_STORAGE_BUCKET is not set, so the export files of ${pruned} pruned jobs were left in cloud storage`);
  return { pruned, filesDeleted };
}
