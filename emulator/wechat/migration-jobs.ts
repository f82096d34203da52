// Database export/import jobs of the WeChat stand-in: exports write real JSON-lines files (one
// EJSON document per line, as CloudBase's JSON export) from the emulated database into the
// environment's cloud storage at file_path (WeChat: "the path of the export file in the same
// environment's cloud storage"), so they are ordinary cloud files with file IDs; imports read them back.
// An export streams: the store's scanStored yields a thousand stored lines at a time, turned into
// Extended JSON without parsing them where they need no conversion, to a Readable the
// storage service writes to the file, so memory stays bounded and the emulator keeps answering
// while a large collection exports; status polls see "migrating" until the file is complete.
import { EJSON } from 'bson';
import { Readable } from 'node:stream';
import type { DocumentStore } from '../store/document-store';
import { relaxedEjsonRoom, writeRelaxedEjson } from '../store/extended-json';
import type { MigrationJob } from './wechat-state';

/** The cloud storage calls exports and imports need (the storage service, wired in by the server). */
export interface ExportFiles {
  pathProblem(cloudPath: string): string | undefined;
  write(cloudPath: string, content: Readable | string, contentType: string): Promise<void>;
  read(cloudPath: string): Promise<Buffer | undefined>;
  tempUrl(cloudPath: string, maxAgeSeconds: number, nowMs: number): string;
}

export interface MigrationOptions {
  store: DocumentStore;
  files: ExportFiles;
  /** How long a job stays "migrating" before it completes. */
  jobDelayMs: number;
  downloadUrlTtlMs: number;
}

/** Documents per batch: small enough that one batch holds the event loop only a few ms. */
const EXPORT_BATCH = 1000;
const NEWLINE = 0x0a;
/** How long a status poll waits for a job it started before answering "migrating". */
const POLL_WAIT_MS = 200;

export class MigrationJobs {
  /** Jobs whose work is under way (a poll starts it once; later polls see it still migrating). */
  private readonly running = new Map<number, Promise<void>>();
  /** While held (a control call), no job starts its work: every poll answers "migrating". */
  private held = false;

  constructor(private readonly options: MigrationOptions) {}

  async collectionStats(): Promise<Array<{ name: string; count: number; size: number; index_count: number; index_size: number }>> {
    const { store } = this.options;
    const names = store.listCollections();
    return Promise.all(names.map(async (name) => ({ name, count: await store.count(name, {}), size: 0, index_count: 1 + store.uniqueFields(name).length, index_size: 0 })));
  }

  async startExport(jobId: number, filePath: string, query: string, now: number): Promise<MigrationJob | { errcode: number; errmsg: string }> {
    const match = /collection\(\s*["'`]([^"'`]+)["'`]\s*\)/.exec(query);
    const collection = match?.[1];
    if (!collection) return { errcode: 40097, errmsg: 'query must name a collection: db.collection("name")...get()' };
    if (this.options.files.pathProblem(filePath)) return { errcode: 40097, errmsg: 'invalid file_path' };
    return { jobId, kind: 'export', collection, filePath, status: 'migrating', readyAt: now + this.options.jobDelayMs, recordSuccess: 0, recordFail: 0, errMsg: '' };
  }

  async startImport(jobId: number, collection: string, filePath: string, conflictMode: number, now: number): Promise<MigrationJob> {
    return { jobId, kind: 'import', collection, filePath, status: 'migrating', readyAt: now + this.options.jobDelayMs, recordSuccess: 0, recordFail: 0, errMsg: '', conflictMode };
  }

  /**
   * Starts a job's work once its delay has passed (against the data as it is then) and answers
   * without waiting for it: the job stays "migrating" until its work is done.
   */
  async advance(job: MigrationJob, now: number): Promise<void> {
    if (this.held || job.status !== 'migrating' || now < job.readyAt || this.running.has(job.jobId)) return;
    const work = (job.kind === 'export' ? this.runExport(job) : this.runImport(job))
      .catch((err: unknown) => {
        job.status = 'fail';
        job.errMsg = (err as Error).message;
      })
      .finally(() => this.running.delete(job.jobId));
    this.running.set(job.jobId, work);
    // Small jobs finish within this poll, as before; large ones keep running after it answers.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, POLL_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** Holds every job at "migrating" until released (tests observe the unfinished state without racing a delay). */
  hold(held: boolean): void {
    this.held = held;
  }

  /** A temporary URL of the export file, signed and expiring like any cloud file's. */
  downloadUrl(filePath: string, now: number): string {
    return this.options.files.tempUrl(filePath, Math.ceil(this.options.downloadUrlTtlMs / 1000), now);
  }

  private async runExport(job: MigrationJob): Promise<void> {
    const { store } = this.options;
    if (!store.hasCollection(job.collection)) {
      job.status = 'fail';
      job.errMsg = `collection ${job.collection} does not exist`;
      return;
    }
    let exported = 0;
    async function* lines(): AsyncGenerator<Buffer> {
      for await (const batch of store.scanStored(job.collection, EXPORT_BATCH)) {
        const out = Buffer.allocUnsafe(batch.reduce((room, line) => room + relaxedEjsonRoom(line) + 1, 0));
        let end = 0;
        for (const line of batch) {
          end = writeRelaxedEjson(line, out, end);
          out[end++] = NEWLINE;
        }
        exported += batch.length;
        yield out.subarray(0, end);
      }
    }
    await this.options.files.write(job.filePath, Readable.from(lines(), { objectMode: false }), 'application/json');
    job.status = 'success';
    job.recordSuccess = exported;
    job.errMsg = '导出完成.';
  }

  private async runImport(job: MigrationJob): Promise<void> {
    const { store } = this.options;
    const content = await this.options.files.read(job.filePath);
    if (!content) {
      job.status = 'fail';
      job.errMsg = `file ${job.filePath} does not exist`;
      return;
    }
    await store.createCollection(job.collection, true);
    const lines = content.toString('utf8').split('\n').filter((l) => l.trim() !== '');
    for (const line of lines) {
      const doc = EJSON.parse(line, { relaxed: true }) as Record<string, unknown>;
      try {
        if (job.conflictMode === 2 && typeof doc._id === 'string') await store.replace(job.collection, doc._id, doc);
        else await store.insert(job.collection, [doc]);
        job.recordSuccess++;
      } catch {
        job.recordFail++;
      }
    }
    job.status = job.recordFail > 0 && job.recordSuccess === 0 ? 'fail' : 'success';
    job.errMsg = job.status === 'success' ? '导入完成.' : 'import failed';
  }
}
