// `npm run bench`: each part measures one thing and prints its table; every part's figures are
// written to bench-results/<time>.json. `npm run bench -- --help` lists parts and options;
// `--only a,b` runs just those parts; `--scale N` runs the scale part alone (unless --only says more).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { backupPart } from './bench/backup';
import { coldStartPart } from './bench/cold-start';
import { deployPart } from './bench/deploy';
import { UsageError } from './bench/format';
import { instancesPart } from './bench/instances';
import { loadPart } from './bench/load';
import { loginLatencyPart } from './bench/login-latency';
import type { BenchPart } from './bench/part';
import { roundTripsPart } from './bench/round-trips';
import { runtimeModesPart } from './bench/runtime-modes';
import { scalePart } from './bench/scale';
import { startUpPart } from './bench/start-up';
import { storagePart } from './bench/storage';
import { storeScalingPart } from './bench/store-scaling';

/** In run order. A new bench part is one line here. */
const PARTS: BenchPart[] = [
  coldStartPart,
  startUpPart,
  roundTripsPart,
  loadPart,
  instancesPart,
  runtimeModesPart,
  loginLatencyPart,
  backupPart,
  storeScalingPart,
  storagePart,
  deployPart,
  scalePart,
];

const ROOT = path.resolve(__dirname, '..');

function usage(options: NonNullable<ParseArgsConfig['options']>): string {
  const flags = Object.entries(options).map(([name, o]) => `  --${name}${o.type === 'string' ? ' <value>' : ''}${o.default !== undefined ? ` (default ${String(o.default)})` : ''}`);
  return ['usage: npm run bench -- [options]', 'options:', ...flags, 'parts (run in this order):', ...PARTS.map((p) => `  ${p.name}${p.runByDefault ? '' : ' (only when selected)'}: ${p.describe}`)].join('\n');
}

function selectParts(only: string | undefined, scale: unknown): BenchPart[] {
  if (only === undefined) return PARTS.filter((p) => p.runByDefault || (p === scalePart && scale !== undefined)).filter((p) => scale === undefined || p === scalePart);
  const names = only.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !PARTS.some((p) => p.name === n));
  if (unknown.length || names.length === 0) throw new UsageError(`--only expects part names from: ${PARTS.map((p) => p.name).join(', ')}; got ${JSON.stringify(only)}`);
  return PARTS.filter((p) => names.includes(p.name));
}

async function main(): Promise<void> {
  const options: NonNullable<ParseArgsConfig['options']> = { only: { type: 'string' }, help: { type: 'boolean', default: false } };
  for (const part of PARTS) Object.assign(options, part.options);
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return void console.log(usage(options));
  const parts = selectParts(values.only as string | undefined, values.scale);
  for (const part of parts) part.validate?.(values as never);
  const results: Record<string, unknown> = {};
  for (const part of parts) results[part.name] = await part.run(values as never);
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
