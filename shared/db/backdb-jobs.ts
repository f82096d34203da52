// backdb: one record per database export (or import) job started through WeChat's tcb API.
import { z } from 'zod';
import type { Database } from '../platform';
import { COLLECTIONS } from './collections';
import { SERVER_READ_PAGE } from './db-helpers';
import { collection } from './typed-collection';

export const backupJobDocSchema = z.object({
  _id: z.string(),
  kind: z.enum(['export', 'import']).default('export'),
  jobId: z.number().int(),
  collection: z.string(),
  filePath: z.string(),
  status: z.string(),
  errMsg: z.string().optional(),
  fileUrl: z.string().optional(),
  fileUrlExpiresAt: z.date().optional(),
  recordSuccess: z.number().optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type BackupJobDoc = z.infer<typeof backupJobDocSchema>;

export type NewBackupJob = Pick<BackupJobDoc, 'kind' | 'jobId' | 'collection' | 'filePath' | 'status'>;

export function backdbJobsCollection(db: Database) {
  const coll = () => collection(db, COLLECTIONS.backdb.name);
  const _ = db.command;
  const parse = (raw: unknown) => backupJobDocSchema.parse(raw);
  return {
    async save(job: NewBackupJob): Promise<void> {
      await coll().add({ data: { ...job, createdAt: db.serverDate(), updatedAt: db.serverDate() } });
    },
    async findByJobId(jobId: number): Promise<BackupJobDoc | undefined> {
      const { data } = await coll().where({ jobId }).limit(1).get();
      return data[0] ? parse(data[0]) : undefined;
    },
    /** The `limit` most recent records, page by page (a page may hold fewer than asked, see readAll). */
    async recent(limit: number): Promise<BackupJobDoc[]> {
      const all: BackupJobDoc[] = [];
      while (all.length < limit) {
        const { data } = await coll().orderBy('createdAt', 'desc').orderBy('_id', 'desc').skip(all.length).limit(Math.min(SERVER_READ_PAGE, limit - all.length)).get();
        if (data.length === 0) break;
        all.push(...data.map(parse));
      }
      return all;
    },
    async record(docId: string, fields: Partial<Pick<BackupJobDoc, 'status' | 'errMsg' | 'fileUrl' | 'fileUrlExpiresAt' | 'recordSuccess'>>): Promise<void> {
      const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      await coll().doc(docId).update({ data: { ...clean, updatedAt: db.serverDate() } });
    },
    /** Up to `limit` records created before the cutoff, oldest first. */
    async olderThan(cutoff: Date, limit: number): Promise<BackupJobDoc[]> {
      const { data } = await coll().where({ createdAt: _.lt(cutoff) }).orderBy('createdAt', 'asc').limit(limit).get();
      return data.map(parse);
    },
    async removeIds(ids: string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const res = await coll().where({ _id: _.in(ids) }).remove();
      return res.stats.removed;
    },
  };
}
