// GET /_emulator/console/logs/stream: invocation records as server-sent events. A new stream
// first gets the records kept so far (after Last-Event-ID when the browser reconnects), then each
// new one as it is logged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InvocationLog, InvocationRecord } from '../../runner/ports';

const HEARTBEAT_MS = 15_000;

export function streamLogs(req: IncomingMessage, res: ServerResponse, log: InvocationLog): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  const send = (r: InvocationRecord) => res.write(`id: ${r.id}\nevent: record\ndata: ${JSON.stringify(r)}\n\n`);
  const kept = log.list();
  const lastId = req.headers['last-event-id'];
  const resumeAt = typeof lastId === 'string' ? kept.findIndex((r) => r.id === lastId) + 1 : 0;
  res.write('retry: 2000\n\n');
  for (const r of kept.slice(resumeAt)) send(r);
  if (log.getMaxListeners() < 100) log.setMaxListeners(100);
  log.on('record', send);
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const stop = () => {
    clearInterval(heartbeat);
    log.off('record', send);
  };
  req.on('close', stop);
  res.on('close', stop);
}
