// `npm run bench`: each part measures one thing and prints its table; every part's figures are
// written to bench-results/<time>.json. `npm run bench -- --help` lists parts and options;
// `--only a,b` runs just those parts; `--scale N` runs the scale part alone (unless --only says more).
// The parts are listed in scripts/bench/parts.ts; the command line is read in scripts/bench/bench-args.ts.
import fs from 'node:fs';
import path from 'node:path';
import { readBenchArgs } from './bench/bench-args';
import { UsageError } from './bench/format';
import { PARTS } from './bench/parts';

const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const args = readBenchArgs(process.argv.slice(2), PARTS);
  if ('help' in args) return void console.log(args.help);
  const results: Record<string, unknown> = {};
  for (const part of args.parts) results[part.name] = await part.run(args.values);
  const out = path.join(ROOT, 'bench-results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({ argv: process.argv.slice(2), results }, null, 2));
  console.log(`\nwritten ${path.relative(ROOT, file)}`);
}

main().catch((err) => {
  if (err instanceof UsageError) {
    console.error(`bench: ${err.message}\n(npm run bench -- --help lists the options)`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
