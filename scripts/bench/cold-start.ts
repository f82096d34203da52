// Cold start as CloudBase pays it: a fresh process requires the function and serves its first
// call, a database read against an in-process emulator, in the same process. Every variant is
// measured N times, interleaved, so machine noise hits them alike. Baselines, each named by what
// it holds: the unmodified wx-server-sdk (from node_modules, and bundled), and the SDK bundled
// with its AI and data-model clients stubbed out as our function bundles have them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { buildFunctions, functionNames } from '../lib/build-functions';
import type { BenchPart } from './part';
import { median, section, spread, wholeNumber } from './format';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'dist/bench');
const OPENID = 'o_bench_cold';

interface Variant { variant: string; file: string; bytes: number; firstCall: string; event: unknown; openid?: string; expect: string }

export interface ColdStartRow {
  variant: string;
  firstCall: string;
  requireMs: number;
  requirePlusCallMs: number;
  spreadMs: string;
  processMs: number;
  KiB: number;
}

/** One fresh process: require the file, call main once; both timed inside, the whole process outside. */
function runOnce(v: Variant, env: Record<string, string>): Promise<{ requireMs: number; totalMs: number; processMs: number }> {
  const script = `const t0 = process.hrtime.bigint();
const m = require(${JSON.stringify(v.file)});
const t1 = process.hrtime.bigint();
Promise.resolve(m.main(${JSON.stringify(v.event)}, { request_id: 'bench-cold', function_name: 'bench' })).then((r) => {
  const t2 = process.hrtime.bigint();
  process.stdout.write(JSON.stringify({ requireMs: Number(t1 - t0) / 1e6, totalMs: Number(t2 - t0) / 1e6, result: JSON.stringify(r) }));
  process.exit(0);
}, (e) => { console.error(e); process.exit(1); });`;
  const started = process.hrtime.bigint();
  const callEnv = v.openid ? { WX_OPENID: v.openid, WX_CONTEXT_KEYS: 'WX_API_TOKEN,WX_OPENID', TCB_SOURCE: 'wx_client' } : { WX_CONTEXT_KEYS: 'WX_API_TOKEN', TCB_SOURCE: '' };
  const child = spawn(process.execPath, ['-e', script], { env: { ...env, ...callEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const processMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`${v.variant} failed (${code}): ${err}`));
      const parsed = JSON.parse(out) as { requireMs: number; totalMs: number; result: string };
      // The first call must really have read the database, not failed quietly.
      if (!parsed.result.includes(v.expect)) return reject(new Error(`${v.variant}: first call answered ${parsed.result}, expected it to contain ${v.expect}`));
      resolve({ requireMs: parsed.requireMs, totalMs: parsed.totalMs, processMs });
    });
  });
}

/** The runtime environment CloudBase gives an instance, pointed at the emulator's CloudBase API. */
function instanceEnv(emu: RunningEmulator): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    TCB_ENV: emu.context.envId,
    SCF_NAMESPACE: emu.context.envId,
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: 'ap-shanghai',
    TENCENTCLOUD_SECRETID: 'emulator-secret-id',
    TENCENTCLOUD_SECRETKEY: 'emulator-secret-key',
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${emu.url}/admin` }),
    WECHAT_APPID: emu.secrets.appid,
    WECHAT_SECRET: emu.secrets.appSecret,
    WECHAT_API_BASE_URL: emu.url,
    TOKEN_SECRET: emu.secrets.tokenSecret,
  };
}

/** The same function as plain transpiled files (what `tsc` would emit) resolving node_modules at run time. */
async function buildUnbundled(): Promise<string> {
  const dir = path.join(OUT, 'unbundled');
  fs.rmSync(dir, { recursive: true, force: true });
  const entries = ['cloudfunctions', 'shared'].flatMap((top) => fs.readdirSync(path.join(ROOT, top), { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => path.join(ROOT, top, f)));
  await build({ entryPoints: entries, outdir: dir, outbase: ROOT, bundle: false, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'silent' });
  for (const name of functionNames(path.join(ROOT, 'cloudfunctions'))) fs.copyFileSync(path.join(ROOT, 'cloudfunctions', name, 'config.json'), path.join(dir, 'cloudfunctions', name, 'config.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** The baseline bundled with the unmodified SDK: the same esbuild settings as a function bundle, no stubs. */
async function buildUnmodifiedSdkBundle(): Promise<{ file: string; bytes: number }> {
  const file = path.join(OUT, 'baseline-unmodified-bundled', 'index.js');
  await build({ entryPoints: [path.join(__dirname, 'baseline/sdkread/index.ts')], outfile: file, bundle: true, platform: 'node', target: 'node18', format: 'cjs', minify: true, keepNames: true, legalComments: 'none', logLevel: 'silent' });
  return { file, bytes: fs.statSync(file).size };
}

const FIRST_CALLS: Record<string, { firstCall: string; event: unknown; openid?: string; expect: string }> = {
  backdb: { firstCall: 'listJobs (server): 1 read', event: { name: 'listJobs' }, expect: '[' },
  common: { firstCall: 'login, known user: 3 reads', event: { name: 'login' }, openid: OPENID, expect: OPENID },
  user: { firstCall: 'get, own user: 1 read', event: { name: 'get' }, openid: OPENID, expect: OPENID },
  wechat: { firstCall: 'usersCount (server): 1 count', event: { name: 'usersCount' }, expect: 'total_users' },
};

async function variants(): Promise<Variant[]> {
  const bundled = await buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: path.join(OUT, 'bundled'), bundleSdk: true });
  const external = await buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: path.join(OUT, 'sdk-external'), bundleSdk: false });
  const [stubbed] = await buildFunctions({ srcDir: path.join(__dirname, 'baseline'), outDir: path.join(OUT, 'baseline-stubbed'), bundleSdk: true });
  const [sdkFromModules] = await buildFunctions({ srcDir: path.join(__dirname, 'baseline'), outDir: path.join(OUT, 'baseline-unmodified-node-modules'), bundleSdk: false, minify: false });
  const unmodifiedBundled = await buildUnmodifiedSdkBundle();
  const unbundledDir = await buildUnbundled();
  // Builds with the SDK external resolve wx-server-sdk from the repository's node_modules.
  for (const dir of ['sdk-external', 'baseline-unmodified-node-modules']) {
    fs.rmSync(path.join(OUT, dir, 'node_modules'), { force: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(OUT, dir, 'node_modules'));
  }
  const read = { firstCall: 'where({openid}).limit(1).get()', event: { openid: OPENID }, expect: OPENID };
  const fnVariants = (kind: string, dirOf: (name: string) => string, bytesOf: (name: string) => number) =>
    functionNames(path.join(ROOT, 'cloudfunctions')).map((name) => ({ variant: `${name} (${kind})`, file: path.join(dirOf(name), 'index.js'), bytes: bytesOf(name), ...FIRST_CALLS[name]! }));
  const byName = <T extends { name: string; dir: string; bytes: number }>(list: T[]) => (name: string) => list.find((f) => f.name === name)!;
  return [
    { variant: 'baseline: wx-server-sdk unmodified, from node_modules', file: path.join(sdkFromModules!.dir, 'index.js'), bytes: 0, ...read },
    { variant: 'baseline: wx-server-sdk unmodified, bundled', ...unmodifiedBundled, ...read },
    { variant: 'sdk-only bundle, AI + data-model stubbed (as ours)', file: path.join(stubbed!.dir, 'index.js'), bytes: stubbed!.bytes, ...read },
    ...fnVariants('bundled, deployed form', (n) => byName(bundled)(n).dir, (n) => byName(bundled)(n).bytes),
    ...fnVariants('sdk as dependency', (n) => byName(external)(n).dir, (n) => byName(external)(n).bytes),
    ...fnVariants('unbundled tsc-style', (n) => path.join(unbundledDir, 'cloudfunctions', n), () => 0),
  ];
}

export async function measureColdStarts(runs: number): Promise<ColdStartRow[]> {
  const list = await variants();
  const emu = await startEmulator({ port: 0, inMemory: true, functionsDirs: [path.join(OUT, 'bundled')], scheduleTimers: false });
  try {
    const registered = await emu.context.runner.invoke('common', { name: 'login' }, { openid: OPENID, source: 'wx_client' });
    if (!registered.ok) throw new Error(`could not register the bench user: ${registered.message}`);
    const env = instanceEnv(emu);
    const samples = new Map(list.map((v) => [v.variant, [] as Array<{ requireMs: number; totalMs: number; processMs: number }>]));
    for (const v of list) await runOnce(v, env); // warm the file cache, and prove every variant works
    for (let i = 0; i < runs; i++) for (const v of list) samples.get(v.variant)!.push(await runOnce(v, env));
    return list.map((v) => {
      const s = samples.get(v.variant)!;
      const totals = s.map((x) => x.totalMs);
      return { variant: v.variant, firstCall: v.firstCall, requireMs: median(s.map((x) => x.requireMs)), requirePlusCallMs: median(totals), spreadMs: spread(totals), processMs: median(s.map((x) => x.processMs)), KiB: Math.round(v.bytes / 1024) };
    });
  } finally {
    await emu.close();
  }
}

export const coldStartPart: BenchPart = {
  name: 'cold-start',
  describe: 'require + first database call in a fresh process, per function and build form, vs the unmodified SDK',
  runByDefault: true,
  options: { runs: { type: 'string', default: '11' } },
  validate: (values) => void wholeNumber('runs', values.runs, 1, 1000),
  async run(values) {
    const rows = await measureColdStarts(wholeNumber('runs', values.runs, 1, 1000));
    const of = (variant: string) => rows.find((r) => r.variant === variant)!.requirePlusCallMs;
    const unmodified = of('baseline: wx-server-sdk unmodified, from node_modules');
    const unmodifiedBundled = of('baseline: wx-server-sdk unmodified, bundled');
    const printed = rows.map((r) => {
      const fn = r.variant.split(' ')[0]!;
      const unbundled = rows.find((u) => u.variant === `${fn} (unbundled tsc-style)`);
      return {
        ...r,
        '×sdk unmodified': r.requirePlusCallMs / unmodified,
        '×sdk unmodified bundled': r.requirePlusCallMs / unmodifiedBundled,
        '×unbundled': r.variant.includes('(bundled,') && unbundled ? r.requirePlusCallMs / unbundled.requirePlusCallMs : undefined,
      };
    });
    section(`Cold start: require + first call in one fresh process (median of ${values.runs}; spread = min–max of require+call; processMs = spawn to exit)`, printed, [
      'baselines hold wx-server-sdk, cloud.init and one read: users.where({openid}).limit(1).get(); "×" columns compare require+call',
    ]);
    return printed;
  },
};
