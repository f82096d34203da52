// Small helpers for the emulator's node:http routes: body reading with a size cap, JSON replies.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? body.errMsg ?? status));
  }
}

/** Oversized bodies up to this size are read to the end; larger ones get the connection cut. */
const DRAIN_LIMIT_BYTES = 32 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  // An oversized body is still read to its end before the 413: a request abandoned half-read
  // leaves its remaining bytes on the keep-alive connection and the client's next request on it hangs.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > DRAIN_LIMIT_BYTES) {
      req.socket.destroy();
      break;
    }
    if (size <= limitBytes) chunks.push(chunk as Buffer);
  }
  if (size > limitBytes) throw new HttpError(413, { errCode: -1, errMsg: `request body exceeds ${limitBytes} bytes` });
  return Buffer.concat(chunks);
}

export function parseJson(buffer: Buffer): unknown {
  try {
    return JSON.parse(buffer.toString('utf8') || 'null');
  } catch {
    return undefined;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
