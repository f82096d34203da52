// The files of the emulated bucket on disk. Objects are kept under names of our own, never under
// their cloud path, so no cloud path can reach outside the storage folder:
//   blobs/<uuid>          the content
//   meta/<sha256(path)>   { path, blob, size, contentType, uploadedAt, openid, etag }
//   tmp/<uuid>            uploads in progress (emptied at start)
// An upload streams into tmp/, then is renamed into blobs/; writing its meta (itself via a
// temporary file and a rename) is the commit. Until then the file is not visible, and a dropped
// or refused upload only leaves a temporary file that is removed.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface ObjectMeta {
  path: string;
  blob: string;
  size: number;
  contentType: string;
  /** ISO time of the upload. */
  uploadedAt: string;
  /** The mini-program user who uploaded it; '' for the server side (SDK, console, exports). */
  openid: string;
  etag: string;
}

/** Larger than Node's 64 KiB default: fewer, bigger disk writes and socket writes for large files. */
const STREAM_CHUNK = 1024 * 1024;

export class UploadTooLarge extends Error {}
export class UploadIncomplete extends Error {}

export class ObjectStore {
  private readonly index = new Map<string, ObjectMeta>();
  private readonly dirs: { blobs: string; meta: string; tmp: string };

  constructor(readonly root: string) {
    this.dirs = { blobs: path.join(root, 'blobs'), meta: path.join(root, 'meta'), tmp: path.join(root, 'tmp') };
    for (const dir of Object.values(this.dirs)) fs.mkdirSync(dir, { recursive: true });
    for (const name of fs.readdirSync(this.dirs.tmp)) fs.rmSync(path.join(this.dirs.tmp, name), { force: true });
    for (const name of fs.readdirSync(this.dirs.meta)) {
      try {
        const meta = JSON.parse(fs.readFileSync(path.join(this.dirs.meta, name), 'utf8')) as ObjectMeta;
        if (metaName(meta.path) === name && /^[0-9a-f-]{36}$/.test(meta.blob)) this.index.set(meta.path, meta);
      } catch {
        /* a meta file that is not ours: ignored */
      }
    }
    const referenced = new Set([...this.index.values()].map((m) => m.blob));
    for (const name of fs.readdirSync(this.dirs.blobs)) if (!referenced.has(name)) fs.rmSync(path.join(this.dirs.blobs, name), { force: true });
  }

  get(cloudPath: string): ObjectMeta | undefined {
    return this.index.get(cloudPath);
  }

  list(): ObjectMeta[] {
    return [...this.index.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Streams the source to a temporary file and commits it as cloudPath. Refuses (and removes the
   * temporary file) when the body exceeds maxBytes, or ends short of expectedBytes.
   */
  async put(cloudPath: string, source: Readable, info: { contentType: string; openid: string; maxBytes: number; expectedBytes?: number }): Promise<ObjectMeta> {
    const blob = randomUUID();
    const tmp = path.join(this.dirs.tmp, blob);
    const md5 = createHash('md5');
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > info.maxBytes) return done(new UploadTooLarge(`body exceeds ${info.maxBytes} bytes`));
        md5.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, counter, fs.createWriteStream(tmp, { flags: 'wx', highWaterMark: STREAM_CHUNK }));
      if (info.expectedBytes !== undefined && size !== info.expectedBytes) throw new UploadIncomplete(`received ${size} of ${info.expectedBytes} bytes`);
      fs.renameSync(tmp, path.join(this.dirs.blobs, blob));
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    return this.commit({ path: cloudPath, blob, size, contentType: info.contentType, uploadedAt: new Date().toISOString(), openid: info.openid, etag: `"${md5.digest('hex')}"` });
  }

  async copy(from: ObjectMeta, toPath: string): Promise<ObjectMeta> {
    const blob = randomUUID();
    const tmp = path.join(this.dirs.tmp, blob);
    await fs.promises.copyFile(this.blobPath(from), tmp);
    fs.renameSync(tmp, path.join(this.dirs.blobs, blob));
    return this.commit({ ...from, path: toPath, blob, uploadedAt: new Date().toISOString() });
  }

  /** Removes a file; false when there was none. */
  delete(cloudPath: string): boolean {
    const meta = this.index.get(cloudPath);
    if (!meta) return false;
    fs.rmSync(path.join(this.dirs.meta, metaName(cloudPath)), { force: true });
    this.index.delete(cloudPath);
    fs.rmSync(this.blobPath(meta), { force: true });
    return true;
  }

  /** A read stream of the content (an open stream keeps reading even if the file is replaced meanwhile). */
  read(meta: ObjectMeta, range?: { start: number; end: number }): Readable {
    return fs.createReadStream(this.blobPath(meta), { ...range, highWaterMark: STREAM_CHUNK });
  }

  private blobPath(meta: ObjectMeta): string {
    return path.join(this.dirs.blobs, meta.blob);
  }

  /** Synchronous, so two uploads finishing together cannot interleave their commits. */
  private commit(meta: ObjectMeta): ObjectMeta {
    const target = path.join(this.dirs.meta, metaName(meta.path));
    const tmp = path.join(this.dirs.tmp, `${meta.blob}.meta`);
    fs.writeFileSync(tmp, JSON.stringify(meta));
    fs.renameSync(tmp, target);
    const previous = this.index.get(meta.path);
    this.index.set(meta.path, meta);
    if (previous && previous.blob !== meta.blob) fs.rmSync(this.blobPath(previous), { force: true });
    return meta;
  }
}

function metaName(cloudPath: string): string {
  return createHash('sha256').update(cloudPath).digest('hex');
}
