// The code each function instance runs, as a child process on the function's own Node.js (the way
// an SCF instance is one) or as a worker thread on the emulator's Node (`--runtime host`): load the
// bundle once, then serve one invocation at a time with that invocation's CloudBase environment
// variables in process.env. What the function writes with console.* during a call is also returned
// with the call (its tail, as SCF's invocation log keeps), besides going to the terminal as before.
// Plain CommonJS with no dependency: it runs as is on every Node.js a runtime names (16.13 and up).
'use strict';
const { isMainThread, parentPort, workerData } = require('node:worker_threads');
const util = require('node:util');
const v8 = require('node:v8');

const asProcess = isMainThread;
const init = asProcess ? JSON.parse(process.argv[2]) : workerData;
const post = asProcess ? (msg, done) => process.send(msg, done) : (msg, done) => { parentPort.postMessage(msg); if (done) done(); };
const onMessage = asProcess ? (fn) => process.on('message', fn) : (fn) => parentPort.on('message', fn);

if (asProcess) {
  // The emulator is gone (even killed with SIGKILL): an instance must not outlive it.
  process.on('disconnect', () => process.exit(0));
  // A process dies on an uncaught error as SCF's does; the error's message goes to the emulator
  // first, so that the failed call says what killed its instance (a worker's 'error' event does that).
  process.on('uncaughtException', (err) => {
    process.stderr.write(`${(err && err.stack) || String(err)}\n`);
    const message = `function instance crashed: ${(err && err.message) || String(err)}`;
    try {
      post({ type: 'fatal', message }, () => process.exit(1));
    } catch {
      process.exit(1);
    }
    setTimeout(() => process.exit(1), 1000).unref();
  });
}

const heap = () => v8.getHeapStatistics().used_heap_size;
const LOG_TAIL = 4096;
let callLog = null;
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    if (callLog) callLog.push(util.format(...args));
    original(...args);
  };
}
const takeLog = () => {
  const text = (callLog || []).join('\n');
  callLog = null;
  return text.length > LOG_TAIL ? text.slice(-LOG_TAIL) : text;
};

const started = process.hrtime.bigint();
let mod;
let loadError;
try { mod = require(init.entry); } catch (err) { loadError = err; }
post({ type: 'ready', loadMs: Number(process.hrtime.bigint() - started) / 1e6, node: process.version });
onMessage(async (msg) => {
  for (const key of init.perCallKeys) delete process.env[key];
  Object.assign(process.env, msg.env);
  callLog = [];
  try {
    if (loadError) throw loadError;
    const handler = mod[init.handlerExport];
    if (typeof handler !== 'function') throw new Error('the bundle does not export ' + init.handlerExport);
    const result = await handler(msg.event, msg.context);
    post({ type: 'done', id: msg.id, ok: true, result: JSON.stringify(result === undefined ? null : result), heapBytes: heap(), logs: takeLog() });
  } catch (err) {
    const e = err || {};
    post({ type: 'done', id: msg.id, ok: false, error: { message: String(e.message || e.errMsg || e), errCode: typeof e.errCode === 'number' ? e.errCode : undefined, stack: typeof e.stack === 'string' ? e.stack : undefined }, heapBytes: heap(), logs: takeLog() });
  }
});
