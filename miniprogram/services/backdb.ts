// The `backdb` function (seed 000 + listJobs). Needs the `backdb` feature (common.auth).
// restoreJob is for server-side callers only and is not offered here.
import type { BackdbContract } from '../../cloudfunctions/backdb/router';
import type { Method } from './call-function';
import { method } from './call-function';

type C = BackdbContract;
const m = <K extends keyof C & string>(name: K): Method<C[K]['input'], C[K]['result']> => method('backdb', name);

export const backdb = {
  listJobs: m('listJobs'),
  createAllJob: m('createAllJob'),
  createJob: m('createJob'),
  getJobUrl: m('getJobUrl'),
};

export type BackupJob = C['listJobs']['result'][number];
