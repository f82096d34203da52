// The backdb function's handlers (seed 000 plus listJobs and restoreJob). `typeof backdbHandlers` is the client contract.
import type { RouterContract } from '../../shared/router/define-handler';
import { createAllJob } from './handlers/createAllJob';
import { createJob } from './handlers/createJob';
import { getJobUrl } from './handlers/getJobUrl';
import { listJobs } from './handlers/listJobs';
import { restoreJob } from './handlers/restoreJob';

export const backdbHandlers = { createAllJob, createJob, getJobUrl, listJobs, restoreJob };
export type BackdbContract = RouterContract<typeof backdbHandlers>;
