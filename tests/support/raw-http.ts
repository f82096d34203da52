// One HTTP/1.1 request written byte for byte over a socket: any method, request target, header
// bytes and body bytes, none of them normalised or refused by a client library. Resolves with the
// status and body, or 'no answer' when the connection closes (or stalls) without a status line.
import net from 'node:net';

export interface RawAnswer {
  status: number;
  body: string;
  json: unknown;
}

export interface RawRequest {
  method: string;
  target: string;
  /** Header lines as sent; Host defaults to 127.0.0.1:<port>, Content-Length to the body's size. */
  headers?: Array<[string, string]>;
  body?: Uint8Array | string;
  chunked?: boolean;
  timeoutMs?: number;
}

export function rawRequest(port: number, request: RawRequest): Promise<RawAnswer | 'no answer'> {
  const body = typeof request.body === 'string' ? Buffer.from(request.body) : Buffer.from(request.body ?? new Uint8Array());
  const headers = [...(request.headers ?? [])];
  if (!headers.some(([k]) => k.toLowerCase() === 'host')) headers.unshift(['Host', `127.0.0.1:${port}`]);
  headers.push(request.chunked ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(body.length)], ['Connection', 'close']);
  const head = Buffer.from(`${request.method} ${request.target} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`, 'latin1');
  const payload = request.chunked ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]) : body;
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('error', () => undefined);
    socket.write(Buffer.concat([head, payload]));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.setTimeout(request.timeoutMs ?? 15_000, () => socket.destroy());
    socket.on('close', () => {
      const data = Buffer.concat(chunks).toString('utf8');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (!match) return resolve('no answer');
      const text = data.slice(data.indexOf('\r\n\r\n') + 4);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(match[1]), body: text, json });
    });
  });
}
