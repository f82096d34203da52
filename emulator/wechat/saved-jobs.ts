// The WeChat stand-in's database export/import jobs (their work: migration-jobs.ts), kept in <data>/wechat/migration-jobs.json
// (rewritten whole through a temporary file and a rename at every change), so that after a restart
// a backup's getJobUrl and restoreJob still find the export, and a new job never takes an old id:
// WeChat's job ids name one job for good. A job whose work was still running when the emulator
// died (SIGKILL, power loss: a clean stop waits for running work) is marked failed with the reason.
import fs from 'node:fs';
import path from 'node:path';
import { CorruptDataError } from '../store/collection-file';

export interface MigrationJob {
  jobId: number;
  kind: 'export' | 'import';
  collection: string;
  filePath: string;
  /** The work's state: 'migrating' while it runs, then its outcome (callers see statusAt()). */
  status: 'waiting' | 'migrating' | 'success' | 'fail';
  /** Until then a poll sees "migrating" even when the work is done, as WeChat's jobs take a while. */
  readyAt: number;
  recordSuccess: number;
  recordFail: number;
  errMsg: string;
  conflictMode?: number;
}

interface JobsFile {
  nextJobId: number;
  jobs: MigrationJob[];
}

const FIRST_JOB_ID = 1000;
const INTERRUPTED = 'the emulator stopped before this job finished (it was killed or lost power); start the job again';

/** What a poll reports: "migrating" until the job's delay has passed, then the work's outcome. */
export function statusAt(job: MigrationJob, now: number): MigrationJob['status'] {
  return now < job.readyAt ? 'migrating' : job.status;
}

export class SavedJobs {
  private readonly jobs = new Map<number, MigrationJob>();
  private nextJobId = FIRST_JOB_ID;

  /** `file` undefined: in memory only (--in-memory). */
  constructor(private readonly file?: string) {
    if (!file || !fs.existsSync(file)) return;
    let stored: JobsFile;
    try {
      stored = JSON.parse(fs.readFileSync(file, 'utf8')) as JobsFile;
    } catch (err) {
      throw new CorruptDataError(`${file}: not valid JSON (${(err as Error).message}); move it away to start without the backup jobs it lists`);
    }
    let interrupted = false;
    for (const job of stored.jobs) {
      if (job.status === 'migrating' || job.status === 'waiting') {
        Object.assign(job, { status: 'fail', errMsg: INTERRUPTED, readyAt: Math.min(job.readyAt, Date.now()) });
        interrupted = true;
      }
      this.jobs.set(job.jobId, job);
    }
    this.nextJobId = Math.max(stored.nextJobId, ...[...this.jobs.keys()].map((id) => id + 1), FIRST_JOB_ID);
    if (interrupted) this.save();
  }

  get size(): number {
    return this.jobs.size;
  }

  get(jobId: number): MigrationJob | undefined {
    return this.jobs.get(jobId);
  }

  values(): IterableIterator<MigrationJob> {
    return this.jobs.values();
  }

  /** A new job under the next id, saved before the id is handed out. */
  create(fields: Omit<MigrationJob, 'jobId'>): MigrationJob {
    const job: MigrationJob = { jobId: this.nextJobId++, ...fields };
    this.jobs.set(job.jobId, job);
    this.save();
    return job;
  }

  /** Writes every job (after a job's fields changed). */
  save(): void {
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const content: JobsFile = { nextJobId: this.nextJobId, jobs: [...this.jobs.values()] };
    fs.writeFileSync(`${this.file}.tmp`, JSON.stringify(content, null, 1));
    fs.renameSync(`${this.file}.tmp`, this.file);
  }
}
