// Warm latency and throughput through the emulator with autocannon, side by side with a bare Node
// http server answering the same bytes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';

export interface LoadRow { operation: string; connections: number; p50Ms: number; p99Ms: number; rps: number; errors: number }

export interface LoadTarget { operation: string; url: string; body: string; headers: Record<string, string> }

export async function runLoad(target: LoadTarget, connections: number, seconds: number): Promise<LoadRow> {
  const result = await autocannon({ url: target.url, method: 'POST', body: target.body, headers: { 'content-type': 'application/json', ...target.headers }, connections, duration: seconds });
  return { operation: target.operation, connections, p50Ms: result.latency.p50, p99Ms: result.latency.p99, rps: result.requests.average, errors: result.errors + result.non2xx };
}

/** A bare server that answers every request with `bytes`, the floor for any HTTP handler on this machine. */
export async function startBareServer(bytes: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(bytes) });
      res.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
