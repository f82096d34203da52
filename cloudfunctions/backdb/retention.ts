// Retention: job records older than the retention are removed, and so are the export files of
// the export jobs among them (through cloud storage's deleteFile, by file ID). A file is deleted
// before its record, so a failure leaves the record to retry on the next run, never an orphan.
//
// The file IDs (cloud://<env>.<bucket>/<path>) are found at run time: cloud storage itself names
// the ID of a path (storage.getUploadMetadata, see shared/platform.ts cloudFileId), asked once per
// run; every export of a run lives in the same environment's storage (WeChat databaseMigrateExport:
// file_path is a path "in the same environment's cloud storage"), so one answer gives the prefix
// of all. BACKUP_STORAGE_BUCKET, when set, overrides the answer (an environment whose storage has
// more than one bucket).
import { config } from '../../shared/config';
import type { HandlerContext } from '../../shared/context';
import { logError } from '../../shared/log';

/** CloudBase's deleteFile takes at most 50 file IDs per call. */
const BATCH = 50;

/** `cloud://<env>.<bucket>/`: what a path in `env`'s storage is prefixed with to make its file ID. */
async function fileIdPrefix(ctx: HandlerContext, env: string, samplePath: string): Promise<string> {
  const { BACKUP_STORAGE_BUCKET: bucket } = config('backup');
  if (bucket) return `cloud://${env}.${bucket}/`;
  const fileId = await ctx.storage.fileId(env, samplePath);
  if (!fileId.endsWith(`/${samplePath}`)) throw new Error(`cloud storage named ${samplePath} ${fileId}, which does not end with its path`);
  return fileId.slice(0, fileId.length - samplePath.length);
}

export async function pruneOldJobs(ctx: HandlerContext, env: string, cutoff: Date): Promise<{ pruned: number; filesDeleted: number }> {
  let pruned = 0;
  let filesDeleted = 0;
  let prefix: string | undefined;
  for (;;) {
    const records = await ctx.backupJobs.olderThan(cutoff, BATCH);
    if (records.length === 0) break;
    const exportPaths = records.filter((r) => r.kind === 'export').map((r) => r.filePath);
    if (exportPaths.length > 0) {
      try {
        prefix ??= await fileIdPrefix(ctx, env, exportPaths[0] as string);
        filesDeleted += (await ctx.storage.deleteFiles(exportPaths.map((p) => `${prefix}${p}`))).length;
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
  return { pruned, filesDeleted };
}
