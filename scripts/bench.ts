// `npm run bench`: cold starts, warm latency/throughput, database round trips per operation and a
// 50-collection backup run, measured side by side in one run. Prints a table and writes
// bench-results/<timestamp>.json. Options: --runs N (cold-start runs, default 11), --seconds S
// (per load run, default 3), --quick.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { measureColdStarts } from './bench/cold-start';
import { startChildBareServer, startChildEmulator } from './bench/child-servers';
import { deployBench } from './bench/deploy';
import { runLoad, type LoadRow, type LoadTarget } from './bench/load';

const ROOT = path.resolve(__dirname, '..');

async function call(emu: RunningEmulator, fn: string, event: unknown, openid?: string): Promise<unknown> {
  const res = await fetch(`${emu.url}/functions/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) }, body: JSON.stringify(event) });
  return ((await res.json()) as { result?: unknown }).result;
}

async function mint(emu: RunningEmulator, kind: 'login' | 'phone', value: string): Promise<string> {
  const res = await fetch(`${emu.url}/_emulator/wechat/${kind}-code`, { method: 'POST', body: JSON.stringify(kind === 'login' ? { openid: value } : { phoneNumber: value }) });
  return ((await res.json()) as { code: string }).code;
}

const lastRecord = (emu: RunningEmulator) => emu.context.log.list().at(-1)!;

async function roundTrips(emu: RunningEmulator) {
  const rows: Array<{ operation: string; dbCalls: number; roundTrips: number; target: string }> = [];
  const measure = async (operation: string, target: string, run: () => Promise<unknown>) => {
    await run();
    const r = lastRecord(emu);
    rows.push({ operation, dbCalls: r.dbCalls, roundTrips: r.dbRoundTrips, target });
  };
  await call(emu, 'common', { name: 'login' }, 'o_bench_first'); // the very first user also creates the id counter
  await measure('common.login (new user)', '≤ 2', () => call(emu, 'common', { name: 'login' }, 'o_bench_new'));
  await measure('common.login (known user)', '≤ 1', () => call(emu, 'common', { name: 'login' }, 'o_bench_new'));
  await measure('user.addHistory', '1 atomic update', () => call(emu, 'user', { name: 'addHistory', hist: 'first search' }, 'o_bench_new'));
  await measure('user.get', '1', () => call(emu, 'user', { name: 'get' }, 'o_bench_new'));
  const login = async () => fetch(`${emu.url}/pb/api/wechat/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ users_wx_code: await mint(emu, 'login', 'o_bench_new') }) }).then((r) => r.json() as Promise<{ token: string }>);
  await login();
  await measure('wechat login (known user, HTTP)', 'exchange + ≤ 2', login);
  await measure('wechat users-count (HTTP)', '1', () => fetch(`${emu.url}/pb/api/system/users-count`, { method: 'POST' }));
  return rows;
}

async function backupRun(emu: RunningEmulator) {
  for (let i = 0; i < 50; i++) {
    await emu.context.store.createCollection(`bench_c${i}`, true);
    await emu.context.store.insert(`bench_c${i}`, [{ i, name: `doc ${i}` }]);
  }
  emu.context.wechat.calls.clear();
  const started = performance.now();
  const result = (await call(emu, 'backdb', { name: 'createAllJob' })) as { jobs: unknown[]; failed: unknown[] };
  const wallMs = performance.now() - started;
  return { collections: emu.context.store.listCollections().length, jobs: result.jobs.length, failed: result.failed.length, wallMs, wechatCalls: Object.fromEntries(emu.context.wechat.calls), concurrency: Number(process.env.BACKUP_CONCURRENCY ?? 5) };
}

async function loadRuns(url: string, seconds: number, quick: boolean) {
  const post = (fn: string, event: unknown, openid?: string) => fetch(`${url}/functions/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) }, body: JSON.stringify(event) }).then((r) => r.text());
  await post('common', { name: 'login' }, 'o_bench_load');
  const fn = (operation: string, name: string, event: unknown, openid?: string): LoadTarget => ({ operation, url: `${url}/functions/${name}`, body: JSON.stringify(event), headers: openid ? { 'x-wx-openid': openid } : {} });
  const targets: LoadTarget[] = [
    fn('user.get', 'user', { name: 'get' }, 'o_bench_load'),
    fn('common.login (known)', 'common', { name: 'login' }, 'o_bench_load'),
    fn('common.auth', 'common', { name: 'auth' }, 'o_bench_load'),
    fn('user.addHistory', 'user', { name: 'addHistory', hist: 'load' }, 'o_bench_load'),
    fn('user.getHistory', 'user', { name: 'getHistory' }, 'o_bench_load'),
    fn('wechat.usersCount (callFunction)', 'wechat', { name: 'usersCount' }, 'o_bench_load'),
    { operation: 'wechat users-count (HTTP)', url: `${url}/pb/api/system/users-count`, body: '', headers: {} },
  ];
  // Warm every function's instances first so that no measured run pays their cold starts.
  for (const t of targets) await runLoad(t, 32, 1);
  const rows: LoadRow[] = [];
  for (const t of quick ? targets.slice(0, 2) : targets) for (const c of [1, 32]) rows.push(await runLoad(t, c, seconds));
  const sampleBytes = await post('user', { name: 'get' }, 'o_bench_load');
  const bare = await startChildBareServer(sampleBytes);
  const bareRow = await runLoad({ operation: 'bare node http (same bytes as user.get)', url: bare.url, body: '{}', headers: {} }, 32, seconds).finally(() => bare.stop());
  const userGet32 = rows.find((r) => r.operation === 'user.get' && r.connections === 32)!;
  return { rows: [...rows, bareRow], readOnlyVsBare: userGet32.rps / bareRow.rps };
}

/** HTTP round trip of wechat login for a known user: each request needs a fresh code (minted untimed). */
async function loginLatency(url: string, runs: number): Promise<{ operation: string; runs: number; p50Ms: number; p99Ms: number }> {
  const mintCode = async () => ((await (await fetch(`${url}/_emulator/wechat/login-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: 'o_bench_login' }) })).json()) as { code: string }).code;
  const samples: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const body = JSON.stringify({ users_wx_code: await mintCode() });
    const started = performance.now();
    const res = await fetch(`${url}/pb/api/wechat/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.text();
    if (res.status !== 200) throw new Error(`login answered ${res.status}`);
    if (i > 0) samples.push(performance.now() - started); // the first one registers the user
  }
  samples.sort((a, b) => a - b);
  return { operation: 'wechat login, known user (HTTP, sequential)', runs, p50Ms: samples[Math.floor(runs * 0.5)]!, p99Ms: samples[Math.min(runs - 1, Math.floor(runs * 0.99))]! };
}

function table(rows: Array<Record<string, unknown>>): string {
  const keys = Object.keys(rows[0] ?? {});
  const fmt = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => fmt(r[k]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(keys.map((k) => fmt(r[k]))))].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '11' }, seconds: { type: 'string', default: '3' }, quick: { type: 'boolean', default: false } } });
  const cold = await measureColdStarts(Number(values.runs));
  const baseline = cold[0]!.medianMs;
  const unbundled = new Map(cold.filter((r) => r.variant.includes('unbundled')).map((r) => [r.variant.split(' ')[0], r.medianMs]));
  console.log('\n== Cold start (whole process, median) ==');
  console.log(table(cold.map((r) => ({ variant: r.variant, medianMs: r.medianMs, KiB: Math.round(r.bytes / 1024), 'vs baseline (≤1.10)': r.medianMs / baseline, 'vs unbundled (≤0.70)': r.variant.includes('bundled,') ? r.medianMs / (unbundled.get(r.variant.split(' ')[0]) ?? NaN) : '' }))));

  // Round trips are counted with 30 ms added to every database call, so that calls a function makes
  // in parallel overlap (one round trip) and sequential ones do not.
  const slow = await startEmulator({ port: 0, inMemory: true, functionsDirs: [path.join(ROOT, 'dist/bench/bundled')], scheduleTimers: false, dbLatencyMs: 30 });
  const trips = await roundTrips(slow).finally(() => slow.close());
  console.log('\n== Database round trips per operation (counted by the emulator, 30 ms simulated latency) ==');
  console.log(table(trips));
  const emu = await startEmulator({ port: 0, inMemory: true, functionsDirs: [path.join(ROOT, 'dist/bench/bundled')], scheduleTimers: false, maxInstancesPerFunction: 8, exportJobDelayMs: 50 });
  try {
    const child = await startChildEmulator(path.join(ROOT, 'dist/bench/bundled'));
    const load = await loadRuns(child.url, Number(values.seconds), values.quick).finally(() => child.stop());
    const loginChild = await startChildEmulator(path.join(ROOT, 'dist/bench/bundled'), { RATE_LIMIT_PER_CALLER: '100000', RATE_LIMIT_PER_IP: '100000' });
    const login = await loginLatency(loginChild.url, 200).finally(() => loginChild.stop());
    console.log('\n== Warm latency and throughput (autocannon; emulator and bare server each in their own process) ==');
    console.log(table(load.rows as unknown as Array<Record<string, unknown>>));
    console.log(`read-only call (user.get, 32 connections) throughput vs bare node http: ${load.readOnlyVsBare.toFixed(3)}×`);
    console.log(table([login]));
    const backup = await backupRun(emu);
    console.log('\n== backdb.createAllJob over 50+ collections ==');
    console.log(table([backup as unknown as Record<string, unknown>]));
    const deploy = await deployBench(path.join(ROOT, 'dist/bench/bundled'), table);
    const out = path.join(ROOT, 'bench-results');
    fs.mkdirSync(out, { recursive: true });
    const file = path.join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify({ cold, trips, load, login, backup, deploy }, null, 2));
    console.log(`\nwritten ${path.relative(ROOT, file)}`);
  } finally {
    await emu.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
