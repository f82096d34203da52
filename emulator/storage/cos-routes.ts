// The COS side of the emulated bucket, which the URLs from getUploadMetadata and getTempFileURL
// point at:
//   PUT  /storage/cos/<bucket>/<path>   PUT Object, as @cloudbase/node-sdk uploads (headers
//                                       authorization + x-cos-meta-fileid; fixed or chunked length)
//   POST /storage/cos/<bucket>[/...]    POST Object (multipart form: key, Signature,
//                                       x-cos-meta-fileid, then file), as wx.uploadFile sends it
//   GET|HEAD /storage/download/<bucket>/<path>?sign=&t=   a temporary URL (Range supported)
// Bodies are streamed to disk; failures answer COS's <Error> XML with its codes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import busboy from 'busboy';
import { MAX_PATH_BYTES, pathProblem } from './cloud-path';
import type { CloudStorage } from './cloud-storage';
import { cosRequestId, postResponse, sendCosError } from '../cos/cos-xml';
import { downloadPathCandidates } from './download-path';
import { encodeKey, mediaType, servedType } from './header-values';
import { inertDownloadHeaders } from './inert-download';
import { UploadIncomplete, UploadTooLarge } from './object-store';

function decodePath(encoded: string): string | undefined {
  try {
    return encoded.split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
}

/** COS's answer for a key it will not store, or undefined when the key is fine. */
function keyError(cloudPath: string | undefined): [number, string, string] | undefined {
  if (cloudPath === undefined) return [400, 'InvalidURI', 'Could not parse the specified URI.'];
  if (Buffer.byteLength(cloudPath) > MAX_PATH_BYTES) return [400, 'KeyTooLong', `Your key is too long (at most ${MAX_PATH_BYTES} bytes).`];
  const problem = pathProblem(cloudPath);
  return problem ? [400, 'InvalidArgument', problem] : undefined;
}

export async function handleCosUpload(req: IncomingMessage, res: ServerResponse, rest: string, storage: CloudStorage): Promise<void> {
  const [bucket, ...segments] = rest.split('/');
  if (bucket !== storage.bucket) return sendCosError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist.', `/${bucket ?? ''}`);
  if (req.method === 'PUT') return putObject(req, res, decodePath(segments.join('/')), storage);
  return postObject(req, res, storage);
}

async function putObject(req: IncomingMessage, res: ServerResponse, cloudPath: string | undefined, storage: CloudStorage): Promise<void> {
  const resource = `/${cloudPath ?? ''}`;
  const bad = keyError(cloudPath);
  if (bad) return drainThen(req, () => sendCosError(res, ...bad, resource));
  const key = cloudPath as string;
  const grant = storage.checkUploadGrant(key, String(req.headers.authorization ?? ''), String(req.headers['x-cos-meta-fileid'] ?? ''), Date.now());
  if ('code' in grant) return drainThen(req, () => sendCosError(res, grant.status, grant.code, grant.message, resource));
  const contentType = req.headers['content-type'] === undefined ? 'application/octet-stream' : mediaType(req.headers['content-type']);
  if (contentType === undefined) return drainThen(req, () => sendCosError(res, 400, 'InvalidArgument', 'Content-Type is not a valid media type.', resource));
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > storage.settings.maxUploadBytes) {
    return closeWith(req, res, 400, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed object size (${storage.settings.maxUploadBytes} bytes).`, resource);
  }
  // Through a PassThrough, so a stalled upload can be failed while the socket stays open for the answer.
  const body = new PassThrough();
  req.pipe(body);
  req.on('close', () => {
    if (!req.complete) body.destroy(new Error('client closed the connection mid-upload'));
  });
  await receive(req, res, resource, storage, body, declared, async (body, expectedBytes) => {
    const meta = await storage.objects.put(key, body, { contentType, openid: grant.openid, maxBytes: storage.settings.maxUploadBytes, expectedBytes });
    res.writeHead(200, { etag: meta.etag, 'x-cos-request-id': cosRequestId(), 'content-length': 0 });
    res.end();
  });
}

function postObject(req: IncomingMessage, res: ServerResponse, storage: CloudStorage): Promise<void> {
  let form: busboy.Busboy;
  try {
    form = busboy({ headers: req.headers, limits: { fileSize: storage.settings.maxUploadBytes, files: 1, fields: 20, fieldSize: 64 * 1024 } });
  } catch {
    return drainThen(req, () => sendCosError(res, 400, 'InvalidArgument', 'POST Object needs a multipart/form-data body.', '/'));
  }
  const fields: Record<string, string> = {};
  return new Promise<void>((resolve) => {
    let handled = false;
    form.on('field', (name, value) => {
      fields[name.toLowerCase()] = value;
    });
    form.on('file', (_name, file, info) => {
      handled = true;
      const key = fields.key;
      const resource = `/${key ?? ''}`;
      const bad = keyError(key ?? '');
      const grant = bad ? undefined : storage.checkUploadGrant(key as string, fields.signature ?? fields.authorization ?? '', fields['x-cos-meta-fileid'] ?? '', Date.now());
      const contentType = fields['content-type'] === undefined ? (mediaType(info.mimeType) ?? 'application/octet-stream') : mediaType(fields['content-type']);
      const badType: [number, string, string] | undefined = contentType === undefined ? [400, 'InvalidArgument', 'The Content-Type field is not a valid media type.'] : undefined;
      const refuse = bad ?? (grant && 'code' in grant ? ([grant.status, grant.code, grant.message] as [number, string, string]) : badType);
      if (refuse || !grant || 'code' in grant) {
        file.resume();
        return void drainThen(req, () => sendCosError(res, ...(refuse as [number, string, string]), resource)).then(resolve);
      }
      file.on('limit', () => file.destroy(new UploadTooLarge('file too large')));
      void receive(req, res, resource, storage, file, undefined, async (body) => {
        const meta = await storage.objects.put(key as string, body, { contentType: contentType as string, openid: grant.openid, maxBytes: storage.settings.maxUploadBytes });
        // The form's trailing boundary is still to come; answer once busboy has read it.
        await new Promise<void>((done) => (form.writableFinished ? done() : form.once('close', () => done())));
        const status = Number(fields.success_action_status) || 204;
        const location = `${storage.settings.baseUrl()}/storage/cos/${storage.bucket}/${encodeKey(key as string)}`;
        const body201 = status === 201 ? postResponse(location, storage.bucket, key as string, meta.etag) : '';
        res.writeHead([200, 201, 204].includes(status) ? status : 204, { etag: meta.etag, location, 'x-cos-request-id': cosRequestId(), 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body201) });
        res.end(body201);
      }).then(resolve);
    });
    form.on('close', () => {
      if (!handled) {
        handled = true;
        sendCosError(res, 400, 'InvalidArgument', 'POST Object needs a file field after the key and signature fields.', '/');
        resolve();
      }
    });
    form.on('error', () => {
      if (!handled) sendCosError(res, 400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.', '/');
      handled = true;
      resolve();
    });
    req.pipe(form);
  });
}

/**
 * Streams body into the store through store(). A client that stops sending gets COS's
 * RequestTimeout; one that drops the connection or sends fewer bytes than it declared leaves no
 * file; one that sends more than allowed gets EntityTooLarge.
 */
async function receive(req: IncomingMessage, res: ServerResponse, resource: string, storage: CloudStorage, body: Readable, expectedBytes: number | undefined, store: (body: Readable, expectedBytes?: number) => Promise<void>): Promise<void> {
  let timedOut = false;
  let lastData = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - lastData > storage.settings.uploadIdleTimeoutMs) {
      timedOut = true;
      body.destroy(new Error('idle'));
    }
  }, Math.min(1000, storage.settings.uploadIdleTimeoutMs));
  req.on('data', () => (lastData = Date.now()));
  try {
    await store(body, expectedBytes);
  } catch (err) {
    if (timedOut) return closeWith(req, res, 400, 'RequestTimeout', 'Your socket connection to the server was not read from or written to within the timeout period.', resource);
    if (err instanceof UploadTooLarge) return closeWith(req, res, 400, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed object size (${storage.settings.maxUploadBytes} bytes).`, resource);
    if (err instanceof UploadIncomplete) return closeWith(req, res, 400, 'IncompleteBody', `You did not provide the number of bytes specified by the Content-Length HTTP header. ${err.message}`, resource);
    // The client went away (aborted, reset): nobody to answer; the partial file is already gone.
    res.destroy();
  } finally {
    clearInterval(timer);
  }
}

/** Answers, then closes the connection: the rest of the body is not read. */
function closeWith(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, resource: string): void {
  if (res.headersSent || res.destroyed) return void req.socket.destroy();
  sendCosError(res, status, code, message, resource, { connection: 'close' });
  res.once('finish', () => req.socket.destroy());
}

/** Reads a small refused body to its end before answering, so a keep-alive client is not left mid-request; a large one gets the connection closed. */
function drainThen(req: IncomingMessage, answer: () => void): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > 1024 * 1024) {
        req.off('data', onData);
        req.pause();
        answer();
        req.socket.destroy();
        resolve();
      }
    };
    req.on('data', onData);
    req.once('end', () => {
      answer();
      resolve();
    });
    req.once('error', () => resolve());
    req.once('close', () => resolve());
  });
}

export function handleDownload(req: IncomingMessage, res: ServerResponse, url: URL, rest: string, storage: CloudStorage): void {
  const [bucket, ...segments] = rest.split('/');
  const candidates = downloadPathCandidates(segments.join('/'));
  if (bucket !== storage.bucket) return sendCosError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist.', `/${bucket ?? ''}`);
  // A file in a folder everyone may read is served without a signature too (CloudBase's public-read
  // objects), so a saved avatar URL keeps working after its maxAge; a signature, if given, must hold.
  const unsigned = !url.searchParams.has('sign') && !url.searchParams.has('t');
  const readable = (p: string) => storage.rules.ruleFor(p).rules.read === true;
  const verdictFor = (p: string) => storage.downloadAllowed(p, url.searchParams.get('sign') ?? '', url.searchParams.get('t') ?? '', Date.now());
  const cloudPath = (unsigned ? (candidates.find((p) => readable(p) && storage.objects.get(p)) ?? candidates.find(readable)) : candidates.find((p) => verdictFor(p) !== 'tampered')) ?? candidates[0] ?? '';
  const resource = `/${cloudPath}`;
  const publicRead = unsigned && readable(cloudPath);
  const verdict = publicRead ? 'ok' : verdictFor(cloudPath);
  if (verdict === 'tampered') return sendCosError(res, 403, 'AccessDenied', 'Access Denied.', resource);
  if (verdict === 'expired') return sendCosError(res, 403, 'AccessDenied', 'Request has expired', resource);
  const meta = storage.objects.get(cloudPath);
  if (!meta) return sendCosError(res, 404, 'NoSuchKey', 'The specified key does not exist.', resource);
  const headers: Record<string, string | number> = {
    'content-type': servedType(meta.contentType),
    etag: meta.etag,
    'last-modified': new Date(meta.uploadedAt).toUTCString(),
    'accept-ranges': 'bytes',
    'x-cos-request-id': cosRequestId(),
    ...inertDownloadHeaders(meta.contentType, cloudPath),
  };
  const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
  let start = 0;
  let end = meta.size - 1;
  let status = 200;
  if (range && (range[1] || range[2])) {
    start = range[1] ? Number(range[1]) : Math.max(0, meta.size - Number(range[2]));
    end = range[1] && range[2] ? Math.min(Number(range[2]), meta.size - 1) : meta.size - 1;
    if (start > end || start >= meta.size) return sendCosError(res, 416, 'InvalidRange', 'The requested range is not satisfiable.', resource, { 'content-range': `bytes */${meta.size}` });
    status = 206;
    headers['content-range'] = `bytes ${start}-${end}/${meta.size}`;
  }
  headers['content-length'] = meta.size === 0 ? 0 : end - start + 1;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || meta.size === 0) return void res.end();
  const stream = storage.objects.read(meta, { start, end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
