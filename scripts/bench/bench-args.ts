// Reads `npm run bench`'s command line against the parts' own options: which parts run and with
// which values, or a UsageError naming the problem before anything is measured.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './format';
import type { BenchPart, BenchValues } from './part';

type Options = NonNullable<ParseArgsConfig['options']>;

export type BenchArgs = { help: string } | { parts: BenchPart[]; values: BenchValues };

export function readBenchArgs(args: string[], table: readonly BenchPart[]): BenchArgs {
  const options: Options = { only: { type: 'string' }, help: { type: 'boolean', default: false } };
  for (const part of table) Object.assign(options, part.options);
  let values: BenchValues;
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values as BenchValues;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return { help: usage(options, table) };
  const parts = selectParts(table, values.only as string | undefined, values.scale);
  for (const part of parts) part.validate?.(values);
  return { parts, values };
}

function usage(options: Options, table: readonly BenchPart[]): string {
  const flags = Object.entries(options).map(([name, o]) => `  --${name}${o.type === 'string' ? ' <value>' : ''}${o.default !== undefined ? ` (default ${String(o.default)})` : ''}`);
  return ['usage: npm run bench -- [options]', 'options:', ...flags, 'parts (run in this order):', ...table.map((p) => `  ${p.name}${p.runByDefault ? '' : ' (only when selected)'}: ${p.describe}`)].join('\n');
}

/** `--scale N` alone runs the scale part alone; `--only a,b` runs just those. */
function selectParts(table: readonly BenchPart[], only: string | undefined, scale: unknown): BenchPart[] {
  const scalePart = table.find((p) => p.name === 'scale');
  if (only === undefined) return table.filter((p) => p.runByDefault || (p === scalePart && scale !== undefined)).filter((p) => scale === undefined || p === scalePart);
  const names = only.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !table.some((p) => p.name === n));
  if (unknown.length || names.length === 0) throw new UsageError(`--only expects part names from: ${table.map((p) => p.name).join(', ')}; got ${JSON.stringify(only)}`);
  return table.filter((p) => names.includes(p.name));
}
