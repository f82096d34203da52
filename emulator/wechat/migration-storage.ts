// Database export/import jobs of the WeChat stand-in: exports write real JSON-lines files (one
// EJSON document per line, as CloudBase's JSON export) from the emulated database into the
// emulator's storage folder; imports read them back.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EJSON } from 'bson';
import type { DocumentStore } from '../store/document-store';
import type { MigrationJob } from './wechat-state';

export interface MigrationOptions {
  store: DocumentStore;
  storageDir: string;
  baseUrl: () => string;
  /** How long a job stays "migrating" before it completes. */
  jobDelayMs: number;
  downloadUrlTtlMs: number;
}

/** Kept with the files so download URLs saved by a backend stay valid across emulator restarts. */
const URL_KEY_FILE = '.download-url-key';

export class MigrationStorage {
  /** Signs download URLs, so an expiry cannot be extended by editing the URL (like a signed COS URL). */
  private readonly urlKey: string;

  constructor(private readonly options: MigrationOptions) {
    fs.mkdirSync(options.storageDir, { recursive: true });
    const keyFile = path.join(options.storageDir, URL_KEY_FILE);
    if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    this.urlKey = fs.readFileSync(keyFile, 'utf8');
  }

  async collectionStats(): Promise<Array<{ name: string; count: number; size: number; index_count: number; index_size: number }>> {
    const { store } = this.options;
    const names = store.listCollections();
    return Promise.all(names.map(async (name) => ({ name, count: await store.count(name, {}), size: 0, index_count: 1 + store.uniqueFields(name).length, index_size: 0 })));
  }

  async startExport(jobId: number, filePath: string, query: string, now: number): Promise<MigrationJob | { errcode: number; errmsg: string }> {
    const match = /collection\(\s*["'`]([^"'`]+)["'`]\s*\)/.exec(query);
    const collection = match?.[1];
    if (!collection) return { errcode: 40097, errmsg: 'query must name a collection: db.collection("name")...get()' };
    const safe = this.resolve(filePath);
    if (!safe) return { errcode: 40097, errmsg: 'invalid file_path' };
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

  downloadUrl(filePath: string, now: number): string {
    const expires = now + this.options.downloadUrlTtlMs;
    const sign = this.sign(filePath, expires);
    return `${this.options.baseUrl()}/_emulator/storage/${filePath.split('/').map(encodeURIComponent).join('/')}?expires=${expires}&sign=${sign}`;
  }

  /** Whether a download URL's expires/sign pair was issued for this path and is still valid. */
  downloadAllowed(filePath: string, expires: number, sign: string, now: number): boolean {
    const expected = Buffer.from(this.sign(filePath, expires));
    const given = Buffer.from(sign);
    return expires >= now && given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign(filePath: string, expires: number): string {
    return createHmac('sha256', this.urlKey).update(`${filePath}\n${expires}`).digest('base64url');
  }

  /** Path on disk for a storage path, or undefined when it would escape the storage folder or is the URL key. */
  resolve(filePath: string): string | undefined {
    const root = path.resolve(this.options.storageDir);
    const full = path.resolve(root, filePath.replace(/^\/+/, ''));
    return full.startsWith(root + path.sep) && full !== path.join(root, URL_KEY_FILE) ? full : undefined;
  }

  private async runExport(job: MigrationJob): Promise<void> {
    const { store } = this.options;
    if (!store.hasCollection(job.collection)) {
      job.status = 'fail';
      job.errMsg = `collection ${job.collection} does not exist`;
      return;
    }
    const docs = await store.find(job.collection, {}, { sort: { _id: 1 } });
    const file = this.resolve(job.filePath) as string;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, docs.map((d) => EJSON.stringify(d, { relaxed: true })).join('\n') + (docs.length ? '\n' : ''));
    job.status = 'success';
    job.recordSuccess = docs.length;
    job.errMsg = '导出完成.';
  }

  private async runImport(job: MigrationJob): Promise<void> {
    const { store } = this.options;
    const file = this.resolve(job.filePath);
    if (!file || !fs.existsSync(file)) {
      job.status = 'fail';
      job.errMsg = `file ${job.filePath} does not exist`;
      return;
    }
    await store.createCollection(job.collection, true);
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
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
