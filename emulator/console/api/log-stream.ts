// GET /_emulator/console/logs/stream: invocation records as server-sent events. A new stream
// first gets the records kept so far (after Last-Event-ID when the browser reconnects), then each
// new one as it is logged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../../emulator-context';
import type { InvocationRecord } from '../../runner/invocation-log';

const HEARTBEAT_MS = 15_000;

export function streamLogs(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  const send = (r: InvocationRecord) => res.write(`id: ${r.id}\nevent: record\ndata: ${JSON.stringify(r)}\n\n`);
  const kept = ctx.log.list();
  const lastId = req.headers['last-event-id'];
  const resumeAt = typeof lastId === 'string' ? kept.findIndex((r) => r.id === lastId) + 1 : 0;
  res.write('retry: 2000\n\n');
  for (const r of kept.slice(resumeAt)) send(r);
  if (ctx.log.getMaxListeners() < 100) ctx.log.setMaxListeners(100);
  ctx.log.on('record', send);
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const stop = () => {
    clearInterval(heartbeat);
    ctx.log.off('record', send);
  };
  req.on('close', stop);
  res.on('close', stop);
}
