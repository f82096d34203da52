// What one section of `npm run bench` is: a name (for --only), the options it adds to the command
// line, and a run that prints its own tables and returns what goes into bench-results/<time>.json.
import type { ParseArgsConfig } from 'node:util';

export type BenchValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface BenchPart {
  name: string;
  /** One line for --help. */
  describe: string;
  /** false: runs only when named in --only (or selected by its own option, see bench-args.ts). */
  runByDefault: boolean;
  options?: ParseArgsConfig['options'];
  /** Throws a UsageError for a bad option value; called for every selected part before any runs. */
  validate?(values: BenchValues): void;
  run(values: BenchValues): Promise<unknown>;
}
