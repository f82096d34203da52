// Cold start of each function as a whole process (`node -e "require(bundle)"`), median of N runs,
// interleaved so that machine noise hits every variant alike.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { buildFunctions, functionNames } from '../lib/build-functions';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'dist/bench');

export interface ColdStartRow { variant: string; medianMs: number; bytes: number }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function timeRequire(file: string): number {
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(file)})`], { env: { PATH: process.env.PATH ?? '', TENCENTCLOUD_RUNENV: 'SCF' } });
  if (res.status !== 0) throw new Error(`${file} failed to load: ${res.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The same function as plain transpiled files (what `tsc` would emit) resolving node_modules at run time. */
async function buildUnbundled(): Promise<string> {
  const dir = path.join(OUT, 'unbundled');
  fs.rmSync(dir, { recursive: true, force: true });
  const entries = ['cloudfunctions', 'shared'].flatMap((top) => fs.readdirSync(path.join(ROOT, top), { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => path.join(ROOT, top, f)));
  await build({ entryPoints: entries, outdir: dir, outbase: ROOT, bundle: false, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'silent' });
  for (const name of functionNames(path.join(ROOT, 'cloudfunctions'))) fs.copyFileSync(path.join(ROOT, 'cloudfunctions', name, 'config.json'), path.join(dir, 'cloudfunctions', name, 'config.json'));
  // Resolve node_modules from the repository, as an unbundled deployment would from its own copy.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

export async function measureColdStarts(runs: number): Promise<ColdStartRow[]> {
  const bundled = await buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: path.join(OUT, 'bundled'), bundleSdk: true });
  const external = await buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: path.join(OUT, 'sdk-external'), bundleSdk: false });
  const [baseline] = await buildFunctions({ srcDir: path.join(__dirname, 'baseline'), outDir: path.join(OUT, 'baseline'), bundleSdk: true });
  const unbundledDir = await buildUnbundled();
  const variants: Array<{ variant: string; file: string; bytes: number }> = [
    { variant: 'baseline: wx-server-sdk + cloud.init only', file: path.join(baseline!.dir, 'index.js'), bytes: baseline!.bytes },
    ...bundled.map((f) => ({ variant: `${f.name} (bundled, deployed form)`, file: path.join(f.dir, 'index.js'), bytes: f.bytes })),
    ...external.map((f) => ({ variant: `${f.name} (sdk as dependency)`, file: path.join(f.dir, 'index.js'), bytes: f.bytes })),
    ...bundled.map((f) => ({ variant: `${f.name} (unbundled tsc-style)`, file: path.join(unbundledDir, 'cloudfunctions', f.name, 'index.js'), bytes: 0 })),
  ];
  // External-SDK bundles resolve wx-server-sdk from the repository's node_modules.
  fs.rmSync(path.join(OUT, 'sdk-external', 'node_modules'), { force: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(OUT, 'sdk-external', 'node_modules'));
  const samples = new Map(variants.map((v) => [v.variant, [] as number[]]));
  for (const v of variants) timeRequire(v.file); // warm the file cache
  for (let i = 0; i < runs; i++) for (const v of variants) samples.get(v.variant)!.push(timeRequire(v.file));
  return variants.map((v) => ({ variant: v.variant, medianMs: median(samples.get(v.variant)!), bytes: v.bytes }));
}
