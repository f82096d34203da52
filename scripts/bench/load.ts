// One autocannon run against one target: p50/p99 latency and requests per second.
import autocannon from 'autocannon';

export interface LoadRow { operation: string; connections: number; p50Ms: number; p99Ms: number; rps: number; errors: number }

export interface LoadTarget { operation: string; url: string; body: string; headers: Record<string, string> }

export async function runLoad(target: LoadTarget, connections: number, seconds: number): Promise<LoadRow> {
  const result = await autocannon({ url: target.url, method: 'POST', body: target.body, headers: { 'content-type': 'application/json', ...target.headers }, connections, duration: seconds });
  return { operation: target.operation, connections, p50Ms: result.latency.p50, p99Ms: result.latency.p99, rps: result.requests.average, errors: result.errors + result.non2xx };
}
