// Which function builds can be kept as they are: after a build, a stamp records what it was made
// from (the content hash of every file esbuild read, the function's source folder, shared/, the
// lockfile, the deny list and the build code itself, plus esbuild's version and the options) and
// what it made (the hash of every file in its output folder). A later build with the same stamp
// key and untouched output reuses the folder; anything else rebuilds. The stamps live in
// node_modules/.cache, never in the output folder, which is deployed and served as it is.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BundledPackage } from './bundle-sbom';

const ROOT = path.resolve(__dirname, '../..');
export const DEFAULT_BUILD_CACHE = path.join(ROOT, 'node_modules/.cache/cloudfunction-builds');
const STAMP_VERSION = 1;
/** The code that decides what a build holds: a change to it changes every stamp key. */
const BUILD_CODE = ['scripts/lib/build-functions.ts', 'scripts/lib/bundle-sbom.ts', 'scripts/lib/runtimes.ts', 'scripts/lib/build-cache.ts', 'package-lock.json'];

export interface BuildStamp {
  version: number;
  key: string;
  /** esbuild's metafile inputs of the last build, relative to the repository root. */
  inputs: string[];
  packages: BundledPackage[];
  bytes: number;
  /** File (relative to the output folder) → sha256 of its content. */
  outputs: Record<string, string>;
}

/** What, besides the files esbuild read, a build depends on. */
export interface StampContext {
  srcDir: string;
  denyList: string;
  /** Options that change the output (runtime, minify, bundleSdk, esbuild version). */
  settings: Record<string, unknown>;
}

/** Hashes files once per build run (a file shared by several bundles is read once). */
export class FileHasher {
  private readonly seen = new Map<string, string | null>();

  hash(file: string): string | null {
    let known = this.seen.get(file);
    if (known === undefined) {
      try {
        known = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      } catch {
        known = null; // gone, or not a file (esbuild's virtual modules, e.g. the stubbed SDK parts)
      }
      this.seen.set(file, known);
    }
    return known;
  }
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** The stamp key of a build that read `inputs` (relative to the root) under `context`. */
export function stampKey(inputs: readonly string[], context: StampContext, hasher: FileHasher): string {
  const files = new Set([
    ...inputs.map((i) => path.resolve(ROOT, i)),
    ...filesUnder(context.srcDir),
    ...filesUnder(path.join(ROOT, 'shared')),
    ...BUILD_CODE.map((f) => path.join(ROOT, f)),
    path.resolve(context.denyList),
  ]);
  const entries = [...files].sort().map((f) => [path.relative(ROOT, f), hasher.hash(f)]);
  return crypto.createHash('sha256').update(JSON.stringify({ version: STAMP_VERSION, settings: context.settings, files: entries })).digest('hex');
}

/** sha256 of every file in `dir`, by path relative to it. */
export function outputHashes(dir: string): Record<string, string> {
  const hasher = new FileHasher();
  return Object.fromEntries(filesUnder(dir).map((f) => [path.relative(dir, f), hasher.hash(f) as string]));
}

function stampFile(cacheDir: string, outDir: string, name: string): string {
  const outKey = crypto.createHash('sha256').update(path.resolve(outDir)).digest('hex').slice(0, 16);
  return path.join(cacheDir, outKey, `${name}.json`);
}

export function readStamp(cacheDir: string, outDir: string, name: string): BuildStamp | undefined {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile(cacheDir, outDir, name), 'utf8')) as BuildStamp;
    return stamp.version === STAMP_VERSION ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** Each output folder's stamps sit in a folder of their own, which names that output folder. */
const OUT_DIR_FILE = 'out-dir.txt';

export function writeStamp(cacheDir: string, outDir: string, name: string, stamp: Omit<BuildStamp, 'version'>): void {
  const file = stampFile(cacheDir, outDir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(path.join(path.dirname(file), OUT_DIR_FILE), path.resolve(outDir));
  fs.writeFileSync(file, JSON.stringify({ version: STAMP_VERSION, ...stamp }));
}

/** Drops the stamps of output folders that are gone (temporary builds, e.g. the tests'). */
export function pruneStamps(cacheDir: string): void {
  if (!fs.existsSync(cacheDir)) return;
  for (const entry of fs.readdirSync(cacheDir)) {
    const dir = path.join(cacheDir, entry);
    let outDir: string;
    try {
      outDir = fs.readFileSync(path.join(dir, OUT_DIR_FILE), 'utf8');
    } catch {
      continue; // another build is just creating it
    }
    if (!fs.existsSync(outDir)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function removeStamp(cacheDir: string, outDir: string, name: string): void {
  fs.rmSync(stampFile(cacheDir, outDir, name), { force: true });
}

/** The stamp of `<outDir>/<name>` if that folder is still exactly what a build with today's inputs would make. */
export function unchangedBuild(cacheDir: string, outDir: string, name: string, context: StampContext, hasher: FileHasher): BuildStamp | undefined {
  const stamp = readStamp(cacheDir, outDir, name);
  if (!stamp || stampKey(stamp.inputs, context, hasher) !== stamp.key) return undefined;
  const now = outputHashes(path.join(outDir, name));
  const recorded = stamp.outputs;
  const same = Object.keys(now).length === Object.keys(recorded).length && Object.entries(recorded).every(([f, h]) => now[f] === h);
  return same ? stamp : undefined;
}
