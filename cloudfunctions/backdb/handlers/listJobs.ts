// listJobs: the most recent backup jobs with their last known status.
import { z } from 'zod';
import { defineHandler } from '../../../shared/router/define-handler';
import { assertMayBackup } from '../access';

export const listJobs = defineHandler({
  allow: ['server', 'user'],
  input: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
  async run({ input, ctx }) {
    await assertMayBackup(ctx, undefined);
    const jobs = await ctx.backupJobs.recent(input.limit);
    return jobs.map((j) => ({ job_id: j.jobId, kind: j.kind, collection: j.collection, file_path: j.filePath, status: j.status, err_msg: j.errMsg ?? '', has_url: Boolean(j.fileUrl), created: j.createdAt.toISOString(), updated: j.updatedAt.toISOString() }));
  },
});
