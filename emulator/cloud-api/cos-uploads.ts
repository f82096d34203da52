// The COS subset the tcb CLI uploads a function's zip with (cos-nodejs-sdk-v5 sliceUploadFile into
// SCF's temporary bucket): list multipart uploads, initiate, upload part, list parts, complete,
// abort, and a plain PUT. Requests must carry a Sign that GetTempCosInfo issued for that object.
// Objects are held in memory until a deploy takes them (they are temporary in the cloud too).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { etagOf, sendCosError, xmlDocument as xml, xmlEscape } from '../cos/cos-xml';
import { HttpError, readBody } from '../http/http-utils';

/** Largest object accepted: above the 50 MB code limit, so a deploy can say why it refuses it. */
export const COS_OBJECT_LIMIT = 64 * 1024 * 1024;
const SIGN_TTL_MS = 30 * 60_000;
/** Uploads in progress and objects no deploy has taken yet are held in memory: only the latest few. */
const KEEP = 8;

function keepLatest<V>(map: Map<string, V>): void {
  while (map.size > KEEP) map.delete(map.keys().next().value as string);
}

interface Upload {
  key: string;
  parts: Map<number, Buffer>;
  bytes: number;
}


export class CosUploads {
  private readonly signs = new Map<string, { objectPath: string; expires: number }>();
  private readonly uploads = new Map<string, Upload>();
  private readonly objects = new Map<string, Buffer>();

  /** GetTempCosInfo: the Date prefix and the Sign (the Authorization the COS requests must carry). */
  issue(objectPath: string, now: number): { Date: string; Sign: string } {
    // COS's signature format (cos-nodejs-sdk-v5 checks for these fields); the signature itself is a
    // random token the emulator remembers, not derived from any key.
    const time = `${Math.floor(now / 1000)};${Math.floor((now + SIGN_TTL_MS) / 1000)}`;
    const sign = `q-sign-algorithm=sha1&q-ak=AKIDemulatortempcos&q-sign-time=${time}&q-key-time=${time}&q-header-list=&q-url-param-list=&q-signature=${randomBytes(20).toString('hex')}`;
    for (const [k, v] of this.signs) if (v.expires <= now) this.signs.delete(k);
    this.signs.set(sign, { objectPath, expires: now + SIGN_TTL_MS });
    return { Date: new Date(now + 8 * 3600_000).toISOString().slice(0, 10), Sign: sign };
  }

  /** The uploaded object, removed from the temporary bucket (a deploy takes it once). */
  take(key: string): Buffer | undefined {
    const normalized = key.startsWith('/') ? key : `/${key}`;
    const data = this.objects.get(normalized);
    this.objects.delete(normalized);
    return data;
  }

  /** Puts an object directly (tests of the code-package checks). */
  async handle(req: IncomingMessage, res: ServerResponse, host: string, now: number): Promise<{ action: string; key: string; error?: string }> {
    const url = new URL(req.url ?? '/', `https://${host}`);
    const key = decodeURIComponent(url.pathname);
    const bucket = host.split('.')[0] ?? '';
    const q = url.searchParams;
    const fail = (status: number, code: string, message: string, action: string) => {
      sendCosError(res, status, code, message, `${host}${key}`);
      return { action, key, error: `${code}: ${message}` };
    };
    const ok = (action: string, body = '', headers: Record<string, string> = {}) => {
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), ...headers });
      res.end(body);
      return { action, key };
    };
    const method = req.method ?? 'GET';
    const action = method === 'GET' && key === '/' && q.has('uploads') ? 'ListMultipartUploads'
      : method === 'POST' && q.has('uploads') ? 'InitiateMultipartUpload'
      : method === 'PUT' && q.has('partNumber') && q.has('uploadId') ? 'UploadPart'
      : method === 'GET' && q.has('uploadId') ? 'ListParts'
      : method === 'POST' && q.has('uploadId') ? 'CompleteMultipartUpload'
      : method === 'DELETE' && q.has('uploadId') ? 'AbortMultipartUpload'
      : method === 'PUT' && key !== '/' && [...q.keys()].length === 0 ? 'PutObject'
      : undefined;
    if (!action) {
      req.resume();
      return fail(501, 'NotImplemented', `the emulator's COS does not implement ${method} ${url.pathname}${url.search}`, `${method} ${url.pathname}`);
    }
    const sign = this.signs.get(String(req.headers.authorization ?? ''));
    const signedFor = (k: string) => sign !== undefined && sign.expires > now && k.endsWith(`/${sign.objectPath}`);
    if (!sign || sign.expires <= now || (key !== '/' && !signedFor(key))) {
      req.resume();
      return fail(403, 'AccessDenied', 'Access Denied: the request is not signed with a Sign from GetTempCosInfo for this object', action);
    }
    let body: Buffer;
    try {
      body = await readBody(req, COS_OBJECT_LIMIT);
    } catch (err) {
      if (err instanceof HttpError) return fail(400, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed object size (${COS_OBJECT_LIMIT} bytes).`, action);
      throw err;
    }
    switch (action) {
      case 'ListMultipartUploads':
        return ok(action, xml('ListMultipartUploadsResult', { Bucket: bucket, Encoding: 'url', KeyMarker: '', UploadIdMarker: '', NextKeyMarker: '', NextUploadIdMarker: '', MaxUploads: '1000', IsTruncated: 'false', Prefix: q.get('prefix') ?? '' }));
      case 'InitiateMultipartUpload': {
        const uploadId = `${Date.now()}${randomBytes(8).toString('hex')}`;
        this.uploads.set(uploadId, { key, parts: new Map(), bytes: 0 });
        keepLatest(this.uploads);
        return ok(action, xml('InitiateMultipartUploadResult', { Bucket: bucket, Key: key.slice(1), UploadId: uploadId }));
      }
      case 'UploadPart': {
        const upload = this.uploads.get(q.get('uploadId') ?? '');
        const partNumber = Number(q.get('partNumber'));
        if (!upload || upload.key !== key) return fail(404, 'NoSuchUpload', 'The specified multipart upload does not exist.', action);
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) return fail(400, 'InvalidArgument', 'partNumber must be 1-10000', action);
        upload.bytes += body.length - (upload.parts.get(partNumber)?.length ?? 0);
        if (upload.bytes > COS_OBJECT_LIMIT) return fail(400, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed object size (${COS_OBJECT_LIMIT} bytes).`, action);
        upload.parts.set(partNumber, body);
        return ok(action, '', { etag: etagOf(body) });
      }
      case 'ListParts': {
        const upload = this.uploads.get(q.get('uploadId') ?? '');
        if (!upload) return fail(404, 'NoSuchUpload', 'The specified multipart upload does not exist.', action);
        const parts = [...upload.parts].sort(([a], [b]) => a - b).map(([n, d]) => `<Part><PartNumber>${n}</PartNumber><ETag>${xmlEscape(etagOf(d))}</ETag><Size>${d.length}</Size></Part>`).join('');
        const head = xml('ListPartsResult', { Bucket: bucket, Key: key.slice(1), UploadId: q.get('uploadId') ?? '', IsTruncated: 'false' });
        return ok(action, head.replace('</ListPartsResult>', `${parts}</ListPartsResult>`));
      }
      case 'CompleteMultipartUpload': {
        const uploadId = q.get('uploadId') ?? '';
        const upload = this.uploads.get(uploadId);
        if (!upload || upload.key !== key) return fail(404, 'NoSuchUpload', 'The specified multipart upload does not exist.', action);
        const numbers = [...body.toString('utf8').matchAll(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/g)].map((m) => Number(m[1]));
        const listed = numbers.length ? numbers : [...upload.parts.keys()].sort((a, b) => a - b);
        if (listed.some((n) => !upload.parts.has(n))) return fail(400, 'InvalidPart', 'One or more of the specified parts could not be found.', action);
        const data = Buffer.concat(listed.map((n) => upload.parts.get(n) as Buffer));
        this.uploads.delete(uploadId);
        this.objects.set(key, data);
        keepLatest(this.objects);
        return ok(action, xml('CompleteMultipartUploadResult', { Location: `${host}${key}`, Bucket: bucket, Key: key.slice(1), ETag: etagOf(data) }));
      }
      case 'AbortMultipartUpload':
        this.uploads.delete(q.get('uploadId') ?? '');
        return ok(action);
      default:
        this.objects.set(key, body);
        keepLatest(this.objects);
        return ok(action, '', { etag: etagOf(body) });
    }
  }
}
