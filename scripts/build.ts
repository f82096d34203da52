// `npm run build [-- name...] [--external-sdk]`: bundle every cloud function into dist/functions,
// each with its bill of materials (sbom.cdx.json); fails on a package of security/denied-packages.json.
// A function whose source folder is gone has its dist/functions/<fn> removed.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildFunctions } from './lib/build-functions';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'external-sdk': { type: 'boolean', default: false }, out: { type: 'string', default: 'dist/functions' } } });
  const built = await buildFunctions({
    srcDir: path.resolve('cloudfunctions'),
    outDir: path.resolve(values.out as string),
    bundleSdk: !values['external-sdk'],
    only: positionals,
    onRemoved: (name, dir) => console.log(`removed ${name.padEnd(8)} ${path.relative(process.cwd(), dir)} (cloudfunctions/${name} is gone)`),
  });
  for (const fn of built) {
    const axios = fn.packages.filter((p) => p.name === 'axios').map((p) => p.version).join(', ') || 'none';
    console.log(`built ${fn.name.padEnd(8)} ${(fn.bytes / 1024).toFixed(0).padStart(6)} KiB  ${path.relative(process.cwd(), fn.dir)}  ${String(fn.packages.length).padStart(3)} packages (axios ${axios})`);
  }
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
