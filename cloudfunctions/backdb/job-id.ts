// A backup job's id as the caller names it: WeChat's job_id is a number, which seed 000 writes as a
// string ("job_id": "备份任务id"), so its decimal digits are accepted too.
import { wholeNumberSchema } from '../../shared/validation';

export const jobIdSchema = wholeNumberSchema({ min: 1 }, 'must be a job id (a positive whole number)');
