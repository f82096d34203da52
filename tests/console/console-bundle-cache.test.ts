// The console UI's bundle is kept on disk between emulator starts (emulator/console/console-bundle-cache.ts):
// a start with the same UI sources, packages, options and esbuild reuses it byte for byte, and any
// change to a file the build read, to the build's key, or to the entry itself bundles again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAssets } from '../../emulator/console/console-bundle';
import { readBundleCache, writeBundleCache } from '../../emulator/console/console-bundle-cache';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-bundle-cache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a second load reuses the first build, the same bytes; a damaged or foreign entry is rebuilt', async () => {
  const file = path.join(dir, 'console-ui.json');
  const first = await loadAssets(file);
  expect(first.reused).toBe(false);
  expect(first.assets.js).toMatch(/preact|createElement|__H/); // the UI and the preact it bundles
  expect(first.assets.css.length).toBeGreaterThan(0);
  const again = await loadAssets(file);
  expect(again).toEqual({ reused: true, assets: first.assets });

  // The entry records every file esbuild read: the UI's own sources and preact's.
  const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as { key: string; inputs: Record<string, string> };
  expect(Object.keys(entry.inputs)).toEqual(expect.arrayContaining(['emulator/console/ui/main.tsx', 'emulator/console/ui/tsconfig.json', expect.stringMatching(/^node_modules\/preact\//)]));

  // A UI file whose content is not what the entry recorded (as after an edit) bundles again.
  fs.writeFileSync(file, JSON.stringify({ ...entry, inputs: { ...entry.inputs, 'emulator/console/ui/main.tsx': '0'.repeat(64) } }));
  expect((await loadAssets(file)).reused).toBe(false);
  expect((await loadAssets(file)).reused).toBe(true);

  // An entry of another esbuild version or other options.
  fs.writeFileSync(file, JSON.stringify({ ...entry, key: 'f'.repeat(64) }));
  expect((await loadAssets(file)).reused).toBe(false);

  // A torn or hand-edited file.
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 100));
  const rebuilt = await loadAssets(file);
  expect(rebuilt).toEqual({ reused: false, assets: first.assets });
  expect(fs.readdirSync(dir)).toEqual(['console-ui.json']); // no temporary files left behind
});

test('an entry is used only while every file it was built from is unchanged', () => {
  const assets = { js: 'js', css: 'css' };
  const key = { esbuild: '0.0.0' };
  fs.writeFileSync(path.join(dir, 'a.ts'), 'a');
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{}');
  const file = path.join(dir, 'cache/entry.json');
  const before = Date.now() - 60_000;
  fs.utimesSync(path.join(dir, 'a.ts'), new Date(before - 1000), new Date(before - 1000));
  fs.utimesSync(path.join(dir, 'tsconfig.json'), new Date(before - 1000), new Date(before - 1000));
  writeBundleCache(file, key, dir, ['a.ts', 'tsconfig.json'], assets, before);
  expect(readBundleCache(file, key, dir, ['tsconfig.json'])).toEqual(assets);
  expect(readBundleCache(file, { esbuild: '0.0.1' }, dir, ['tsconfig.json'])).toBeUndefined();
  expect(readBundleCache(file, key, dir, ['tsconfig.json', 'other.json'])).toBeUndefined(); // a file the entry never read

  fs.writeFileSync(path.join(dir, 'a.ts'), 'b');
  expect(readBundleCache(file, key, dir, ['tsconfig.json'])).toBeUndefined();
  fs.writeFileSync(path.join(dir, 'a.ts'), 'a');
  expect(readBundleCache(file, key, dir, ['tsconfig.json'])).toEqual(assets);
  fs.rmSync(path.join(dir, 'a.ts'));
  expect(readBundleCache(file, key, dir, ['tsconfig.json'])).toBeUndefined();

  // A build that read a file which is gone by the time it is written (esbuild's virtual modules) is not kept.
  writeBundleCache(path.join(dir, 'other.json'), key, dir, ['a.ts'], assets, before);
  expect(fs.existsSync(path.join(dir, 'other.json'))).toBe(false);
  // Nor one whose input changed after the build began: it may have read the old content.
  fs.writeFileSync(path.join(dir, 'a.ts'), 'c');
  writeBundleCache(path.join(dir, 'other.json'), key, dir, ['a.ts', 'tsconfig.json'], assets, before);
  expect(fs.existsSync(path.join(dir, 'other.json'))).toBe(false);
  // An entry whose inputs are not a map (hand-edited) is not used, and does not throw.
  fs.writeFileSync(file, JSON.stringify({ ...(JSON.parse(fs.readFileSync(file, 'utf8')) as object), inputs: null }));
  expect(readBundleCache(file, key, dir, [])).toBeUndefined();
});
