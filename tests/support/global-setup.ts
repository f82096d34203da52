// Builds the production bundles and the test fixtures once before the suites run, into a folder
// of this run's own (so parallel runs and `npm start` never see half-written bundles): every test
// exercises the same bundles `npm run deploy` ships. The emulator's own bundles go below
// node_modules/.cache, where they still find the packages they leave external: its CLI (what
// `npm start` runs) and emulator/server.ts, which tests/support/emulator.ts loads once per worker.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NodeBinaries } from '../../emulator/runner/node-binaries';
import { buildEmulator } from '../../scripts/lib/build-emulator';
import { buildFunctions } from '../../scripts/lib/build-functions';
import { declaredRuntimes } from '../../scripts/lib/runtimes';
import { CONSOLE_BUNDLE_CACHE, loadAssets } from '../../emulator/console/console-bundle';

const ROOT = path.resolve(__dirname, '../..');

export default async function globalSetup(): Promise<void> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudbase-test-build-'));
  const functionsDir = path.join(out, 'functions');
  const fixturesDir = path.join(out, 'test-functions');
  const cache = path.join(ROOT, 'node_modules/.cache');
  fs.mkdirSync(cache, { recursive: true });
  const emulatorDir = fs.mkdtempSync(path.join(cache, 'cloudbase-test-emulator-'));
  const binaries = new NodeBinaries();
  // The runtimes the sources declare start fetching while the bundles build (a fresh clone downloads
  // each); the loop below, after the build, waits for them and reports.
  const fetching = [...sourceRuntimes()].map((runtime) => binaries.resolve(runtime).catch(() => undefined));
  const [built, fixtures, emulator, server] = await Promise.all([
    buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: functionsDir, bundleSdk: true }),
    buildFunctions({ srcDir: path.join(ROOT, 'tests/fixtures/functions'), outDir: fixturesDir, bundleSdk: true }),
    buildEmulator(path.join(emulatorDir, 'emulator/cli.js')),
    buildEmulator(path.join(emulatorDir, 'emulator/server.js'), 'emulator/server.ts'),
    loadAssets(CONSOLE_BUNDLE_CACHE), // the console UI each emulator CLI start then reuses
  ]);
  // Every runtime the bundles declare, fetched once here rather than by parallel test files at once.
  const runtimes = new Set([...built, ...fixtures].map((fn) => (JSON.parse(fs.readFileSync(path.join(fn.dir, 'config.json'), 'utf8')) as { runtime: string }).runtime));
  await Promise.all(fetching);
  for (const runtime of runtimes) {
    const binary = await binaries.resolve(runtime);
    if (binary.fallback) console.warn(`\n[tests] WARNING: ${runtime} runs on the host's Node.js ${binary.version}: ${binary.fallback}`);
  }
  process.env.TEST_BUILD_DIR = out;
  process.env.TEST_EMULATOR_BUNDLE = emulator.file;
  process.env.TEST_EMULATOR_SERVER = server.file;
  process.env.TEST_FUNCTIONS_DIRS = JSON.stringify([functionsDir, fixturesDir]);
}

/** cloudbaserc.json's runtimes and those the fixtures' config.json files name. */
function sourceRuntimes(): Set<string> {
  const runtimes = new Set<string>(declaredRuntimes(path.join(ROOT, 'cloudbaserc.json')).values());
  const fixtures = path.join(ROOT, 'tests/fixtures/functions');
  for (const name of fs.readdirSync(fixtures)) {
    const config = path.join(fixtures, name, 'config.json');
    const runtime = fs.existsSync(config) ? (JSON.parse(fs.readFileSync(config, 'utf8')) as { runtime?: unknown }).runtime : undefined;
    if (typeof runtime === 'string') runtimes.add(runtime);
  }
  return runtimes;
}
