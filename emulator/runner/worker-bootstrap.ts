// The code each function instance (a worker thread) runs: load the bundle once, then serve one
// invocation at a time with that invocation's CloudBase environment variables in process.env.
// What the function writes with console.* during a call is also returned with the call (its tail,
// as SCF's invocation log keeps), besides going to the terminal as before.
// Kept as plain CommonJS text because a worker cannot load TypeScript.
export const WORKER_BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
const heap = () => require('node:v8').getHeapStatistics().used_heap_size;
const LOG_TAIL = 4096;
let callLog = null;
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    if (callLog) callLog.push(require('node:util').format(...args));
    original(...args);
  };
}
const takeLog = () => {
  const text = (callLog || []).join('\\n');
  callLog = null;
  return text.length > LOG_TAIL ? text.slice(-LOG_TAIL) : text;
};
const started = process.hrtime.bigint();
let mod;
let loadError;
try { mod = require(workerData.entry); } catch (err) { loadError = err; }
parentPort.postMessage({ type: 'ready', loadMs: Number(process.hrtime.bigint() - started) / 1e6 });
parentPort.on('message', async (msg) => {
  for (const key of workerData.perCallKeys) delete process.env[key];
  Object.assign(process.env, msg.env);
  callLog = [];
  try {
    if (loadError) throw loadError;
    const handler = mod[workerData.handlerExport];
    if (typeof handler !== 'function') throw new Error('the bundle does not export ' + workerData.handlerExport);
    const result = await handler(msg.event, msg.context);
    parentPort.postMessage({ type: 'done', id: msg.id, ok: true, result: JSON.stringify(result === undefined ? null : result), heapBytes: heap(), logs: takeLog() });
  } catch (err) {
    const e = err || {};
    parentPort.postMessage({ type: 'done', id: msg.id, ok: false, error: { message: String(e.message || e.errMsg || e), errCode: typeof e.errCode === 'number' ? e.errCode : undefined, stack: typeof e.stack === 'string' ? e.stack : undefined }, heapBytes: heap(), logs: takeLog() });
  }
});
`;
