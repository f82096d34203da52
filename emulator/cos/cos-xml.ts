// COS's wire format, for every COS the emulator plays (the environment's bucket in storage/, the
// temporary bucket the tcb CLI uploads code to in cloud-api/): the <Error> document every failure
// carries (the SDKs parse Code, Message, RequestId and TraceId out of it), the result documents,
// request ids and ETags.
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export const xmlEscape = (s: string): string => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const escape = xmlEscape;

/** A result document: `<Root><Field>value</Field>…</Root>`, values escaped. */
export const xmlDocument = (root: string, fields: Record<string, string>): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>${Object.entries(fields).map(([k, v]) => `<${k}>${escape(v)}</${k}>`).join('')}</${root}>`;

/** COS's ETag of an object uploaded in one piece: its MD5, quoted. */
export const etagOf = (data: Buffer): string => `"${createHash('md5').update(data).digest('hex')}"`;

export function cosRequestId(): string {
  return randomBytes(24).toString('base64');
}

export function sendCosError(res: ServerResponse, status: number, code: string, message: string, resource: string, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  const requestId = cosRequestId();
  const body =
    `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n\t<Code>${escape(code)}</Code>\n\t<Message>${escape(message)}</Message>\n` +
    `\t<Resource>${escape(resource)}</Resource>\n\t<RequestId>${requestId}</RequestId>\n\t<TraceId>${randomBytes(32).toString('base64')}</TraceId>\n</Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-cos-request-id': requestId, ...extraHeaders });
  res.end(body);
}

export function postResponse(location: string, bucket: string, key: string, etag: string): string {
  return `<?xml version='1.0' encoding='utf-8' ?>\n<PostResponse>\n\t<Location>${escape(location)}</Location>\n\t<Bucket>${escape(bucket)}</Bucket>\n\t<Key>${escape(key)}</Key>\n\t<ETag>${escape(etag)}</ETag>\n</PostResponse>`;
}
