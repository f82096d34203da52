// Database export/import jobs of the WeChat stand-in: exports write real JSON-lines files (one
// EJSON document per line, as CloudBase's JSON export) from the emulated database into the
// environment's cloud storage at file_path (WeChat: "the path of the export file in the same
// environment's cloud storage"), so they are ordinary cloud files with file IDs; imports read them back.
import { EJSON } from 'bson';
import type { DocumentStore } from '../store/document-store';
import type { MigrationJob } from './wechat-state';

/** The cloud storage calls exports and imports need (the storage service, wired in by the server). */
export interface ExportFiles {
  pathProblem(cloudPath: string): string | undefined;
  write(cloudPath: string, content: string, contentType: string): Promise<void>;
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

export class MigrationStorage {
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

  async startImport(jobId: number, collection: string, filePath: string, conflictMode: number, _stopOnError: boolean, now: number): Promise<MigrationJob> {
    return { jobId, kind: 'import', collection, filePath, status: 'migrating', readyAt: now + this.options.jobDelayMs, recordSuccess: 0, recordFail: 0, errMsg: '', conflictMode };
  }

  /** Completes a job once its delay has passed (the work happens then, against current data). */
  async advance(job: MigrationJob, now: number): Promise<void> {
    if (job.status !== 'migrating' || now < job.readyAt) return;
    try {
      if (job.kind === 'export') await this.runExport(job);
      else await this.runImport(job);
    } catch (err) {
      job.status = 'fail';
      job.errMsg = (err as Error).message;
    }
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
    const docs = await store.find(job.collection, {}, { sort: { _id: 1 } });
    await this.options.files.write(job.filePath, docs.map((d) => EJSON.stringify(d, { relaxed: true })).join('\n') + (docs.length ? '\n' : ''), 'application/json');
    job.status = 'success';
    job.recordSuccess = docs.length;
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
