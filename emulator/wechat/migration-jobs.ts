// Database export/import jobs of the WeChat stand-in: exports write real JSON-lines files (one
// EJSON document per line, as CloudBase's JSON export) from the emulated database into the
// environment's cloud storage at file_path (WeChat: "the path of the export file in the same
// environment's cloud storage"), so they are ordinary cloud files with file IDs; imports read them back.
// A job's work starts when it is requested, in the background: an export holds the collection as
// it was at the request (the store's lines at that moment), however late the first poll comes. It
// streams a thousand stored lines at a time, turned into Extended JSON without parsing them where
// they need no conversion, to a Readable the storage service writes to the file, so memory stays
// bounded and the emulator keeps answering while a large collection exports. A poll only reads the
// job's status (saved-jobs.ts, which also keeps the jobs across restarts).
import { EJSON } from 'bson';
import { Readable } from 'node:stream';
import type { DocumentStore } from '../store/document-store';
import { relaxedEjsonRoom, writeRelaxedEjson } from '../store/extended-json';
import type { MigrationJob, SavedJobs } from './saved-jobs';

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
  jobs: SavedJobs;
  /** How long a job stays "migrating" before it completes. */
  jobDelayMs: number;
  downloadUrlTtlMs: number;
}

/** Documents per batch: small enough that one batch holds the event loop only a few ms. */
const EXPORT_BATCH = 1000;
const NEWLINE = 0x0a;

export class MigrationJobs {
  /** Work under way, awaited by close() so that a clean stop leaves no job half done. */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: MigrationOptions) {}

  async collectionStats(): Promise<Array<{ name: string; count: number; size: number; index_count: number; index_size: number }>> {
    const { store } = this.options;
    const names = store.listCollections();
    return Promise.all(names.map(async (name) => ({ name, count: await store.count(name, {}), size: 0, index_count: 1 + store.uniqueFields(name).length, index_size: 0 })));
  }

  /** Creates the job and starts writing the collection as it is now; answers without waiting for the file. */
  startExport(filePath: string, query: string, now: number): MigrationJob | { errcode: number; errmsg: string } {
    const match = /collection\(\s*["'`]([^"'`]+)["'`]\s*\)/.exec(query);
    const collection = match?.[1];
    if (!collection) return { errcode: 40097, errmsg: 'query must name a collection: db.collection("name")...get()' };
    if (this.options.files.pathProblem(filePath)) return { errcode: 40097, errmsg: 'invalid file_path' };
    const { store, jobs } = this.options;
    const lines = store.hasCollection(collection) ? store.storedLinesNow(collection) : undefined;
    const job = jobs.create({ kind: 'export', collection, filePath, status: lines ? 'migrating' : 'fail', readyAt: now + this.options.jobDelayMs, recordSuccess: 0, recordFail: 0, errMsg: lines ? '' : `collection ${collection} does not exist` });
    if (lines) this.run(job, () => this.runExport(job, lines));
    return job;
  }

  startImport(collection: string, filePath: string, conflictMode: number, now: number): MigrationJob {
    const job = this.options.jobs.create({ kind: 'import', collection, filePath, status: 'migrating', readyAt: now + this.options.jobDelayMs, recordSuccess: 0, recordFail: 0, errMsg: '', conflictMode });
    this.run(job, () => this.runImport(job));
    return job;
  }

  /** A temporary URL of the export file, signed and expiring like any cloud file's. */
  downloadUrl(filePath: string, now: number): string {
    return this.options.files.tempUrl(filePath, Math.ceil(this.options.downloadUrlTtlMs / 1000), now);
  }

  /** Resolves once no job's work is under way (a test waits on this, never on the clock). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  /** Waits for the work under way (a clean stop finishes its jobs rather than leave them running). */
  close(): Promise<void> {
    return this.settled();
  }

  private run(job: MigrationJob, work: () => Promise<void>): void {
    const done = work()
      .catch((err: unknown) => {
        job.status = 'fail';
        job.errMsg = (err as Error).message;
      })
      .finally(() => {
        this.running.delete(done);
        this.options.jobs.save();
      });
    this.running.add(done);
  }

  private async runExport(job: MigrationJob, snapshot: Buffer[]): Promise<void> {
    async function* lines(): AsyncGenerator<Buffer> {
      for (let from = 0; from < snapshot.length; from += EXPORT_BATCH) {
        if (from > 0) await new Promise((resolve) => setImmediate(resolve));
        const batch = snapshot.slice(from, from + EXPORT_BATCH);
        const out = Buffer.allocUnsafe(batch.reduce((room, line) => room + relaxedEjsonRoom(line) + 1, 0));
        let end = 0;
        for (const line of batch) {
          end = writeRelaxedEjson(line, out, end);
          out[end++] = NEWLINE;
        }
        yield out.subarray(0, end);
      }
    }
    await this.options.files.write(job.filePath, Readable.from(lines(), { objectMode: false }), 'application/json');
    job.status = 'success';
    job.recordSuccess = snapshot.length;
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
