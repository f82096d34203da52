// The deployed bundles hold production code only: no emulator, test or script sources, and not
// even the emulator's control-route prefix.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions } from '../../scripts/lib/build-functions';

const ROOT = path.resolve(__dirname, '../..');
const functionsDir = (JSON.parse(process.env.TEST_FUNCTIONS_DIRS ?? '[]') as string[])[0] as string;

it('builds one self-contained index.js, package.json and config.json per function', () => {
  for (const name of ['backdb', 'common', 'user', 'wechat']) {
    const dir = path.join(functionsDir, name);
    expect(fs.readdirSync(dir)).toEqual(expect.arrayContaining(['index.js', 'package.json', 'config.json']));
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };
    expect(pkg.main).toBe('index.js');
    expect(pkg.dependencies).toEqual({});
  }
});

it('never puts the emulator control prefix into a production bundle', () => {
  for (const name of fs.readdirSync(functionsDir)) {
    expect(fs.readFileSync(path.join(functionsDir, name, 'index.js'), 'utf8')).not.toContain('/_emulator');
  }
});

it('bundles no input from emulator/, tests/ or scripts/', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-inputs-'));
  try {
    const built = await buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: out, bundleSdk: true });
    for (const fn of built) expect(fn.inputs.filter((i) => /^(emulator|tests|scripts)\//.test(i))).toEqual([]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

it('declares the Monday 04:00 timer of backdb in its deployed config', () => {
  const config = JSON.parse(fs.readFileSync(path.join(functionsDir, 'backdb', 'config.json'), 'utf8')) as { triggers: Array<{ config: string }> };
  expect(config.triggers).toEqual([{ name: 'weeklyBackup', type: 'timer', config: '0 0 4 * * 1 *' }]);
});
