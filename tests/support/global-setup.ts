// Builds the production bundles and the test fixtures once before the suites run: every test
// exercises the same bundles `npm run deploy` ships.
import path from 'node:path';
import { buildFunctions } from '../../scripts/lib/build-functions';

export const ROOT = path.resolve(__dirname, '../..');
export const FUNCTIONS_DIR = path.join(ROOT, 'dist/functions');
export const TEST_FUNCTIONS_DIR = path.join(ROOT, 'dist/test-functions');

export default async function globalSetup(): Promise<void> {
  await buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: FUNCTIONS_DIR, bundleSdk: true });
  await buildFunctions({ srcDir: path.join(ROOT, 'tests/fixtures/functions'), outDir: TEST_FUNCTIONS_DIR, bundleSdk: true });
}
