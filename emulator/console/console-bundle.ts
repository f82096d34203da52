// Bundles the console UI (ui/main.tsx and the CSS it imports) with esbuild, in memory, once per
// process: the first request for /_/ (or the CLI, just after it listens) starts the build and later
// ones reuse it. The result is also kept on disk (./console-bundle-cache.ts), so that an emulator
// started again with the same UI sources, packages and esbuild reuses it instead of bundling again.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { readBundleCache, writeBundleCache, type ConsoleAssets } from './console-bundle-cache';

export type { ConsoleAssets } from './console-bundle-cache';

const ROOT = path.resolve(__dirname, '../..');
const UI_DIR = path.join(__dirname, 'ui');
export const CONSOLE_BUNDLE_CACHE = path.join(ROOT, 'node_modules/.cache/cloudbase-emulator/console-ui.json');

/** Everything that decides the output besides the files esbuild reads (those are in its metafile). */
const OPTIONS = {
  entryPoints: { app: path.join(UI_DIR, 'main.tsx') },
  outdir: '/console-out',
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  logLevel: 'silent',
  tsconfig: path.join(UI_DIR, 'tsconfig.json'),
  jsx: 'automatic',
  jsxImportSource: 'preact',
  absWorkingDir: ROOT,
  metafile: true,
} satisfies BuildOptions;

let cached: Promise<ConsoleAssets> | undefined;

export function consoleAssets(): Promise<ConsoleAssets> {
  cached ??= loadAssets(CONSOLE_BUNDLE_CACHE).then((loaded) => loaded.assets).catch((err: unknown) => {
    cached = undefined; // a fixed source can be retried with a reload
    throw err;
  });
  return cached;
}

/** The UI's assets from `cacheFile` when nothing they were built from changed, else a fresh build (then cached). */
export async function loadAssets(cacheFile: string): Promise<{ assets: ConsoleAssets; reused: boolean }> {
  const key = { options: OPTIONS, esbuild: esbuildVersion() };
  const kept = readBundleCache(cacheFile, key, ROOT, [OPTIONS.tsconfig]);
  if (kept) return { assets: kept, reused: true };
  const { build } = await import('esbuild'); // loaded only when the console is used
  // With a margin: the kernel stamps mtimes from a coarse clock that can lag Date.now() by a tick,
  // and an input edited just before the build is merely bundled again next time.
  const started = Date.now() - 2000;
  const result = await build(OPTIONS);
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  const assets = { js: text('.js'), css: text('.css') };
  writeBundleCache(cacheFile, key, ROOT, [...Object.keys(result.metafile.inputs), OPTIONS.tsconfig], assets, started);
  return { assets, reused: false };
}

function esbuildVersion(): string {
  return (JSON.parse(fs.readFileSync(createRequire(__filename).resolve('esbuild/package.json'), 'utf8')) as { version: string }).version;
}
