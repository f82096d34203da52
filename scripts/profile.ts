// `npm run profile -- [operation...] [--calls N] [--out DIR]`: runs the emulator (as the bench's load
// part does: `npm start`'s bundle in its own process, functions on their declared runtime) under
// V8's CPU profiler, its function instances too (a NODE_OPTIONS --require hook reaches them), calls each operation N times in sequence over HTTP
// (the function's own wx-server-sdk then calls /admin), and prints where the CPU time went: part,
// µs per call, share. Operations: user.get, common.login (default: both). One emulator per
// operation, so that each profile holds one operation only. Profiles are kept in --out.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from './bench/child-servers';
import { buildFunctions } from './lib/build-functions';
import { buildEmulator } from './lib/build-emulator';
import { bundleSources, selfTimeByPart, type ProcessKind } from './profile/profile-parts';

const ROOT = path.resolve(__dirname, '..');
/** The emulator as `npm start` runs it (and the bench's load part measures it), built for the profile. */
const EMULATOR = path.join(ROOT, 'dist/profile/emulator/cli.js');
const OPENID = 'o_profile';
const WARM_UP_CALLS = 3000;
const OPERATIONS: Record<string, { fn: string; event: unknown }> = {
  'user.get': { fn: 'user', event: { name: 'get' } },
  'common.login': { fn: 'common', event: { name: 'login' } },
};

async function call(url: string, fn: string, event: unknown): Promise<void> {
  const res = await fetch(`${url}/functions/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wx-openid': OPENID }, body: JSON.stringify(event) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${fn} answered ${res.status}: ${text}`);
}

/** The emulator's function instances (it has other children too, e.g. esbuild's service). */
function instancePids(pid: number): number[] {
  const children = fs.readdirSync(`/proc/${pid}/task`).flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  return children.filter((c) => fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('instance-bootstrap'));
}

async function waitForFiles(dir: string, suffix: string, count: number): Promise<string[]> {
  for (let i = 0; i < 1200; i++) {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(suffix));
    if (files.length >= count) return files;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`expected ${count} profiles in ${dir}, found ${fs.readdirSync(dir).length}`);
}

async function profileOne(operation: string, calls: number, functionsDir: string, outDir: string): Promise<Map<string, number>> {
  const { fn, event } = OPERATIONS[operation]!;
  const dir = path.join(outDir, operation);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const hook = path.join(dir, 'cpu-profile-hook.cjs'); // writes its profiles into its own folder
  fs.copyFileSync(path.join(__dirname, 'profile/cpu-profile-hook.cjs'), hook);
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${hook}`.trim() };
  const child = spawn(process.execPath, [EMULATOR, '--in-memory', '--port', String(port), '--functions', functionsDir, '--quiet'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (c: Buffer) => { seen += c.toString(); if (seen.includes('listening on')) resolve(); });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}):\n${seen}`)));
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    await call(url, 'common', { name: 'login' }); // registers the user; the instance is warm after
    // As the bench does: past V8's tiering up (per-call CPU settles after about 2,000 calls).
    for (let i = 0; i < WARM_UP_CALLS; i++) await call(url, fn, event);
    const pids = [child.pid!, ...instancePids(child.pid!)];
    for (const pid of pids) process.kill(pid, 'SIGUSR2'); // start profiling
    await waitForFiles(dir, '.started', pids.length);
    for (let i = 0; i < calls; i++) await call(url, fn, event);
    for (const pid of pids.slice(1)) process.kill(pid, 'SIGUSR2'); // write and exit: instances first
    await waitForFiles(dir, '.cpuprofile', pids.length - 1);
    child.kill('SIGUSR2');
    await waitForFiles(dir, '.cpuprofile', pids.length);
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const sources = bundleSources(EMULATOR);
  const total = new Map<string, number>();
  for (const f of files) {
    const pid = Number(/^CPU\.(\d+)\./.exec(f)?.[1]);
    const kind: ProcessKind = pid === child.pid ? 'emulator' : 'instance';
    for (const [part, us] of selfTimeByPart(path.join(dir, f), kind, sources)) total.set(part, (total.get(part) ?? 0) + us);
  }
  return total;
}

function perCall(total: Map<string, number>, calls: number): Map<string, number> {
  return new Map([...total].map(([k, v]) => [k, v / calls]));
}

function table(operation: string, perCall: Map<string, number>, calls: number): string {
  const rows = [...perCall].filter(([k]) => k !== 'idle' && !k.includes('left out')).sort((x, y) => y[1] - x[1]);
  const busy = rows.reduce((s, [, v]) => s + v, 0);
  const lines = [`${operation}: ${calls} sequential calls, CPU self time per call (emulator + instances, idle left out)`, `| part | µs per call | share |`, `|---|---:|---:|`];
  for (const [part, us] of rows) lines.push(`| ${part} | ${us.toFixed(0)} | ${((100 * us) / busy).toFixed(1)}% |`);
  lines.push(`| **total** | **${busy.toFixed(0)}** | 100% |`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { calls: { type: 'string', default: '1000' }, out: { type: 'string', default: 'profiles' } } });
  const calls = Number(values.calls);
  if (!Number.isInteger(calls) || calls < 1) throw new Error(`--calls expects a whole number ≥ 1, got ${values.calls}`);
  const operations = positionals.length ? positionals : Object.keys(OPERATIONS);
  for (const op of operations) if (!OPERATIONS[op]) throw new Error(`unknown operation ${op}; known: ${Object.keys(OPERATIONS).join(', ')}`);
  // The SDK is left out of the bundles so that the profile can tell its modules from the function's.
  const functionsDir = path.join(ROOT, 'dist/profile/functions');
  await Promise.all([buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: functionsDir, bundleSdk: false, minify: false }), buildEmulator(EMULATOR)]);
  const outDir = path.resolve(values.out as string);
  for (const op of operations) {
    console.log(`\n${table(op, perCall(await profileOne(op, calls, functionsDir, outDir), calls), calls)}`);
  }
  console.log(`\nprofiles (open in Chrome DevTools → Performance): ${path.relative(process.cwd(), outDir)}/<operation>/`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
