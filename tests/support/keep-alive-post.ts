// POSTs for the suites that send thousands of requests to one emulator: Node's http client over
// kept-alive connections, which costs the test process less per request than fetch does. The
// request carries exactly the given headers, plus Host, Connection and Content-Length.
import http from 'node:http';

export interface PostAnswer {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  headers: http.IncomingHttpHeaders;
}

export interface KeepAliveClient {
  post(url: string, body: string | Uint8Array, headers?: Record<string, string>): Promise<PostAnswer>;
  /** Closes the kept connections. */
  close(): void;
}

/** `maxSockets` bounds the connections (and so the concurrent requests) to one host; by default there is no bound, as with fetch. */
export function keepAliveClient(options: { maxSockets?: number } = {}): KeepAliveClient {
  // With a timeout the agent drops an idle connection a second before the server's Keep-Alive hint
  // says it will, so that no request is written to a connection the server is closing.
  const agent = new http.Agent({ keepAlive: true, timeout: 60_000, maxSockets: options.maxSockets ?? Infinity });
  return {
    post: (url, body, headers = {}) =>
      new Promise((resolve, reject) => {
        const bytes = typeof body === 'string' ? Buffer.from(body) : body;
        const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(bytes.length) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.once('error', reject);
          res.once('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode as number, text, json, headers: res.headers });
          });
        });
        req.once('error', reject);
        req.end(bytes);
      }),
    close: () => agent.destroy(),
  };
}
