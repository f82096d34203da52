// The emulated CloudBase storage of one environment: upload grants, temporary URLs, deletes and
// copies, each checked against the storage rules for a mini-program user (the server side is not
// bound by them). The bytes themselves move through ./cos-routes.ts.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { StorageError, assertPath, bucketFor, fileIdFor, parseFileId } from './cloud-path';
import { encodeKey } from './header-values';
import type { ObjectMeta, ObjectStore } from './object-store';
import type { StorageCaller, StorageRules } from './storage-rules';
import type { UrlSigner } from './url-signer';

/** CloudBase: a temporary URL lasts one day by default, and never longer. */
export const MAX_URL_AGE_SECONDS = 86_400;
/** How long an upload grant (getUploadMetadata) stays usable. */
const UPLOAD_GRANT_SECONDS = 900;
/** CloudBase's batch limit for getTempFileURL and deleteFile. */
export const MAX_BATCH = 50;

export interface StorageSettings {
  envId: string;
  baseUrl: () => string;
  /** Largest object accepted (COS: a simple PUT Object takes at most 5 GB). */
  maxUploadBytes: number;
  /** An upload that sends nothing for this long is dropped (COS RequestTimeout). */
  uploadIdleTimeoutMs: number;
}

export interface UploadGrant {
  path: string;
  openid: string;
}

type PerFile = { fileID: string; code: string; message?: string };

export class CloudStorage {
  readonly bucket: string;

  constructor(
    readonly settings: StorageSettings,
    readonly objects: ObjectStore,
    readonly rules: StorageRules,
    private readonly signer: UrlSigner,
  ) {
    this.bucket = bucketFor(settings.envId);
  }

  fileId(cloudPath: string): string {
    return fileIdFor(this.settings.envId, cloudPath);
  }

  /** storage.getUploadMetadata: where and how to PUT (or form-POST) the file. */
  uploadMetadata(caller: StorageCaller, cloudPath: unknown, nowMs: number): Record<string, string> {
    const target = assertPath(cloudPath);
    this.assertMayWrite(caller, target);
    const openid = caller.kind === 'user' ? (caller.openid ?? '') : '';
    const cosFileId = `${Buffer.from(openid).toString('base64url')}.${randomBytes(12).toString('hex')}`;
    const start = Math.floor(nowMs / 1000);
    const end = start + UPLOAD_GRANT_SECONDS;
    const signature = this.signer.sign('upload', target, cosFileId, String(end));
    // A signed read link only for a caller the read rule lets read the file once it is theirs.
    const mayRead = this.rules.allows(caller, 'read', target, caller.kind === 'user' ? openid : '');
    return {
      url: `${this.settings.baseUrl()}/storage/cos/${this.bucket}/${encodeKey(target)}`,
      token: randomBytes(16).toString('hex'),
      authorization: `q-sign-algorithm=sha1&q-ak=AKIDemulator&q-sign-time=${start};${end}&q-key-time=${start};${end}&q-header-list=&q-url-param-list=&q-signature=${signature}`,
      fileId: this.fileId(target),
      cosFileId,
      ...(mayRead ? { download_url: this.tempUrl(target, MAX_URL_AGE_SECONDS, nowMs) } : {}),
    };
  }

  /** The uploader a grant was issued to, or why the upload is refused (COS error code). */
  checkUploadGrant(cloudPath: string, authorization: string, cosFileId: string, nowMs: number): UploadGrant | { status: number; code: string; message: string } {
    const end = /q-sign-time=\d+;(\d+)/.exec(authorization)?.[1];
    const signature = /q-signature=([0-9a-f]+)/.exec(authorization)?.[1];
    if (!end || !signature || !cosFileId) return { status: 403, code: 'AccessDenied', message: 'Access Denied.' };
    if (!this.signer.verify(signature, 'upload', cloudPath, cosFileId, end)) return { status: 403, code: 'SignatureDoesNotMatch', message: 'The Signature you specified is invalid.' };
    if (Number(end) * 1000 < nowMs) return { status: 403, code: 'AccessDenied', message: 'Request has expired' };
    const openid = Buffer.from(cosFileId.split('.')[0] ?? '', 'base64url').toString('utf8');
    if (openid !== '' && !this.rules.allows({ kind: 'user', openid }, 'write', cloudPath, this.objects.get(cloudPath)?.openid)) {
      return { status: 403, code: 'AccessDenied', message: 'Access Denied.' };
    }
    return { path: cloudPath, openid };
  }

  /** A signed URL for GET/HEAD, valid for maxAgeSeconds, each path segment percent-encoded (any name the path rules accept downloads: `100%.png`, `头像.png`). */
  tempUrl(cloudPath: string, maxAgeSeconds: number, nowMs: number): string {
    const t = Math.floor(nowMs / 1000) + maxAgeSeconds;
    return `${this.settings.baseUrl()}/storage/download/${this.bucket}/${encodeKey(cloudPath)}?sign=${this.signer.sign('download', cloudPath, String(t))}&t=${t}`;
  }

  downloadAllowed(cloudPath: string, sign: string, t: string, nowMs: number): 'ok' | 'tampered' | 'expired' {
    if (!/^\d+$/.test(t) || !this.signer.verify(sign, 'download', cloudPath, t)) return 'tampered';
    return Number(t) * 1000 < nowMs ? 'expired' : 'ok';
  }

  /** storage.batchGetDownloadUrl */
  tempUrls(caller: StorageCaller, list: unknown, nowMs: number): Array<PerFile & { tempFileURL: string; maxAge: number }> {
    return this.batch(list).map((entry) => {
      const item = (typeof entry === 'object' && entry !== null ? entry : { fileid: entry }) as { fileid?: unknown; max_age?: unknown };
      // Numbers and text as sent, never converted: Number()/String() of an object run its (maybe non-function) toString.
      const maxAge = item.max_age === undefined ? MAX_URL_AGE_SECONDS : typeof item.max_age === 'number' ? item.max_age : NaN;
      const fileID = typeof item.fileid === 'string' ? item.fileid : (JSON.stringify(item.fileid) ?? '');
      if (!Number.isInteger(maxAge) || maxAge <= 0) return { fileID, code: 'INVALID_PARAM', message: 'maxAge must be a positive whole number of seconds', tempFileURL: '', maxAge: 0 };
      const found = this.find(caller, item.fileid, 'read');
      if ('code' in found) return { ...found, tempFileURL: '', maxAge };
      const age = Math.min(maxAge, MAX_URL_AGE_SECONDS);
      return { fileID, code: 'SUCCESS', tempFileURL: this.tempUrl(found.meta.path, age, nowMs), maxAge: age };
    });
  }

  /** storage.batchDeleteFile */
  deleteFiles(caller: StorageCaller, list: unknown): PerFile[] {
    return this.batch(list).map((fileid) => {
      const found = this.find(caller, fileid, 'write');
      if ('code' in found) return found;
      this.objects.delete(found.meta.path);
      return { fileID: found.fileID, code: 'SUCCESS' };
    });
  }

  /** storage.batchCopyFile: paths may be given as file IDs or cloud paths. */
  async copyFiles(caller: StorageCaller, list: unknown): Promise<Array<{ fileId: string; code: string; message?: string }>> {
    const out: Array<{ fileId: string; code: string; message?: string }> = [];
    for (const entry of this.batch(list)) {
      const { src_path: src, dst_path: dst, overwrite, remove_original: removeOriginal } = (entry ?? {}) as Record<string, unknown>;
      const asId = (p: unknown) => (typeof p === 'string' && !p.startsWith('cloud://') ? this.fileId(p.replace(/^\/+/, '')) : p);
      const from = this.find(caller, asId(src), 'read');
      if ('code' in from) {
        out.push({ fileId: String(src), code: from.code, message: from.message });
        continue;
      }
      const to = parseFileId(this.settings.envId, asId(dst));
      if ('code' in to) {
        out.push({ fileId: String(dst), code: to.code, message: to.message });
        continue;
      }
      if (this.objects.get(to.path) && overwrite === false) {
        out.push({ fileId: this.fileId(to.path), code: 'STORAGE_REQUEST_FAIL', message: 'destination exists and overwrite is false' });
        continue;
      }
      if (!this.rules.allows(caller, 'write', to.path, this.objects.get(to.path)?.openid)) {
        out.push({ fileId: this.fileId(to.path), code: 'STORAGE_EXCEED_AUTHORITY', message: 'permission denied' });
        continue;
      }
      await this.objects.copy(from.meta, to.path);
      if (removeOriginal === true) this.objects.delete(from.meta.path);
      out.push({ fileId: this.fileId(to.path), code: 'SUCCESS' });
    }
    return out;
  }

  /** Server-side write of a whole file (export jobs, the console). */
  async write(cloudPath: string, content: Readable | Buffer | string, contentType: string): Promise<ObjectMeta> {
    const source = typeof content === 'string' || Buffer.isBuffer(content) ? Readable.from([Buffer.from(content)]) : content;
    return this.objects.put(assertPath(cloudPath), source, { contentType, openid: '', maxBytes: this.settings.maxUploadBytes });
  }

  private assertMayWrite(caller: StorageCaller, cloudPath: string): void {
    if (!this.rules.allows(caller, 'write', cloudPath, this.objects.get(cloudPath)?.openid)) {
      throw new StorageError('STORAGE_EXCEED_AUTHORITY', `no permission to write ${cloudPath}`);
    }
  }

  private batch(list: unknown): unknown[] {
    if (!Array.isArray(list) || list.length === 0) throw new StorageError('INVALID_PARAM', 'fileList must be a non-empty array');
    if (list.length > MAX_BATCH) throw new StorageError('INVALID_PARAM', `fileList holds at most ${MAX_BATCH} entries`);
    return list;
  }

  private find(caller: StorageCaller, fileId: unknown, op: 'read' | 'write'): { fileID: string; meta: ObjectMeta } | PerFile {
    const fileID = String(fileId);
    const parsed = parseFileId(this.settings.envId, fileId);
    if ('code' in parsed) return { fileID, code: parsed.code, message: parsed.message };
    const meta = this.objects.get(parsed.path);
    if (!meta) return { fileID, code: 'STORAGE_FILE_NONEXIST', message: 'file does not exist' };
    if (!this.rules.allows(caller, op, meta.path, meta.openid)) return { fileID, code: 'STORAGE_EXCEED_AUTHORITY', message: 'permission denied' };
    return { fileID, meta };
  }
}
