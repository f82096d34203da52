// Builds cloud functions as they would be deployed on a given CloudBase runtime (its esbuild
// target, and the runtime recorded in config.json that the emulator runs them on), into a folder
// of their own: what a team that deployed on another runtime has in the cloud.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions } from '../../scripts/lib/build-functions';
import type { NodeRuntime } from '../../scripts/lib/runtimes';

const ROOT = path.resolve(__dirname, '../..');

export async function buildOnRuntime(runtime: NodeRuntime, names: string[]): Promise<string> {
  const out = fs.mkdtempSync(path.join(process.env.TEST_BUILD_DIR ?? os.tmpdir(), `on-${runtime}-`));
  await buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: out, bundleSdk: true, only: names, runtimeOf: () => runtime });
  return out;
}
