// COS's XML answers: the <Error> document every failure carries (the server SDK parses Code,
// Message, RequestId and TraceId out of it) and the form upload's <PostResponse>.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

const escape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

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
