// Builds the production bundles and the test fixtures once before the suites run, into a folder
// of this run's own (so parallel runs and `npm start` never see half-written bundles): every test
// exercises the same bundles `npm run deploy` ships.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions } from '../../scripts/lib/build-functions';

const ROOT = path.resolve(__dirname, '../..');

export default async function globalSetup(): Promise<void> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudbase-test-build-'));
  const functionsDir = path.join(out, 'functions');
  const fixturesDir = path.join(out, 'test-functions');
  await buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: functionsDir, bundleSdk: true });
  await buildFunctions({ srcDir: path.join(ROOT, 'tests/fixtures/functions'), outDir: fixturesDir, bundleSdk: true });
  process.env.TEST_BUILD_DIR = out;
  process.env.TEST_FUNCTIONS_DIRS = JSON.stringify([functionsDir, fixturesDir]);
}
