// Removes this run's bundles.
import fs from 'node:fs';
import path from 'node:path';

export default async function globalTeardown(): Promise<void> {
  if (process.env.TEST_BUILD_DIR) fs.rmSync(process.env.TEST_BUILD_DIR, { recursive: true, force: true });
  if (process.env.TEST_EMULATOR_BUNDLE) fs.rmSync(path.dirname(path.dirname(process.env.TEST_EMULATOR_BUNDLE)), { recursive: true, force: true });
}
