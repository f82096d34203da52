// The function bundles every bench part runs (deployed form), built once per bench run.
import path from 'node:path';
import { buildFunctions } from '../lib/build-functions';

const ROOT = path.resolve(__dirname, '../..');
export const BENCH_FUNCTIONS = path.join(ROOT, 'dist/bench/bundled');

let built: Promise<string> | undefined;

export function benchBundles(): Promise<string> {
  built ??= buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: BENCH_FUNCTIONS, bundleSdk: true }).then(() => BENCH_FUNCTIONS);
  return built;
}
