// `npm run build [-- name...] [--external-sdk]`: bundle every cloud function into dist/functions,
// each with its bill of materials (sbom.cdx.json); fails on a package of security/denied-packages.json.
// A function whose source folder is gone has its dist/functions/<fn> removed; one whose inputs did
// not change since its last build is kept as it is ("kept", scripts/lib/build-cache.ts). Also bundles the
// emulator into dist/emulator/cli.js, which `npm start` runs (see scripts/lib/build-emulator.ts), and
// keeps the console UI's bundle where the emulator reuses it (emulator/console/console-bundle-cache.ts).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildEmulator } from './lib/build-emulator';
import { DEFAULT_BUILD_CACHE } from './lib/build-cache';
import { buildFunctions } from './lib/build-functions';
import { CONSOLE_BUNDLE_CACHE, loadAssets } from '../emulator/console/console-bundle';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'external-sdk': { type: 'boolean', default: false }, out: { type: 'string', default: 'dist/functions' } } });
  const [emulator, ui, built] = await Promise.all([buildEmulator(), loadAssets(CONSOLE_BUNDLE_CACHE), buildFunctions({
    srcDir: path.resolve('cloudfunctions'),
    outDir: path.resolve(values.out as string),
    bundleSdk: !values['external-sdk'],
    only: positionals,
    onRemoved: (name, dir) => console.log(`removed ${name.padEnd(8)} ${path.relative(process.cwd(), dir)} (cloudfunctions/${name} is gone)`),
    cacheDir: DEFAULT_BUILD_CACHE,
  })]);
  console.log(`built emulator ${(emulator.bytes / 1024).toFixed(0).padStart(4)} KiB  ${path.relative(process.cwd(), emulator.file)}`);
  console.log(`${ui.reused ? 'kept ' : 'built'} console UI ${(ui.assets.js.length / 1024).toFixed(0).padStart(4)} KiB  ${path.relative(process.cwd(), CONSOLE_BUNDLE_CACHE)}`);
  for (const fn of built) {
    const axios = fn.packages.filter((p) => p.name === 'axios').map((p) => p.version).join(', ') || 'none';
    console.log(`${fn.reused ? 'kept ' : 'built'} ${fn.name.padEnd(8)} ${(fn.bytes / 1024).toFixed(0).padStart(6)} KiB  ${path.relative(process.cwd(), fn.dir)}  ${String(fn.packages.length).padStart(3)} packages (axios ${axios})`);
  }
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
