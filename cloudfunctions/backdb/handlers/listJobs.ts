// listJobs: the most recent backup jobs with their current status: unfinished jobs are asked
// about at WeChat as they are listed (job-status.ts), finished ones are shown as recorded.
import { z } from 'zod';
import { defineHandler } from '../../../shared/router/define-handler';
import { wholeNumberSchema } from '../../../shared/validation';
import { assertMayBackup } from '../access';
import { refreshUnfinished } from '../job-status';

export const listJobs = defineHandler({
  allow: ['server', 'user'],
  input: z.object({ limit: wholeNumberSchema({ min: 1, max: 100 }).default(20) }),
  async run({ input, ctx }) {
    await assertMayBackup(ctx, undefined);
    const jobs = await refreshUnfinished(ctx, await ctx.backupJobs.recent(input.limit));
    return jobs.map((j) => ({
      job_id: j.jobId,
      kind: j.kind,
      collection: j.collection,
      file_path: j.filePath,
      status: j.status,
      err_msg: j.errMsg ?? '',
      has_url: Boolean(j.fileUrl),
      created: j.createdAt.toISOString(),
      updated: j.updatedAt.toISOString(),
      ...(j.refreshError !== undefined ? { status_error: j.refreshError } : {}),
    }));
  },
});
