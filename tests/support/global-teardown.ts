// Removes this run's bundles.
import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  if (process.env.TEST_BUILD_DIR) fs.rmSync(process.env.TEST_BUILD_DIR, { recursive: true, force: true });
}
