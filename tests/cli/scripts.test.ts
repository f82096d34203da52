// The project's scripts (invoke, fire, wechat-code): `--help` prints their usage and exits 0, a
// mistake gets one line and the usage with exit 2, an emulator that does not answer gets one line
// naming the address and `npm start` with exit 1 (never a stack or a bare "fetch failed"), and
// with no --url they find the emulator `npm start` recorded.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordAddress } from '../../emulator/address-file';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

const ROOT = path.resolve(__dirname, '../..');
const addressFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-address-')), 'address.json');

// Asynchronous: the emulator under test runs in this process and must keep answering.
function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', EMULATOR_ADDRESS_FILE: addressFile },
    }, (_err, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }));
  });
}

const SCRIPTS = ['invoke', 'fire', 'wechat-code'];

it.each(SCRIPTS)('%s --help prints its usage and exits 0', async (script) => {
  const { code, stdout, stderr } = await run(script, ['--help']);
  expect(code).toBe(0);
  expect(stdout).toMatch(new RegExp(`^usage: npm run ${script} -- `));
  expect(stdout).toContain('--url URL');
  expect(stderr).toBe('');
});

it.each(SCRIPTS)('%s refuses an unknown option with one line and the usage, exit 2', async (script) => {
  const { code, stderr } = await run(script, ['--bogus']);
  expect(code).toBe(2);
  expect(stderr.split('\n')[0]).toBe("Unknown option '--bogus'.");
  expect(stderr).toContain(`usage: npm run ${script} -- `);
  expect(stderr).not.toMatch(/\n\s+at /);
});

it.each([
  ['invoke', ['user', '--params', '{}']],
  ['fire', ['backdb', 'weeklyBackup']],
  ['wechat-code', ['login', 'o_x']],
])('%s against a port where nothing answers says so in one line, exit 1', async (script, args) => {
  const { code, stderr } = await run(script, [...args, '--url', 'http://127.0.0.1:9']);
  expect(code).toBe(1);
  expect(stderr).toBe('no emulator answers at http://127.0.0.1:9: start one with `npm start`, or point at yours with --url or EMULATOR_URL\n');
});

it('deploy --local deploys to the recorded address, and says so in one line when nothing answers there', async () => {
  // A live process (this one) recorded a port where nothing listens: deploy must try it, not 8090.
  const forget = recordAddress('http://127.0.0.1:9', addressFile);
  try {
    const { code, stderr } = await run('deploy', ['--local', 'user']);
    expect(stderr).toBe('no emulator answers at http://127.0.0.1:9: start one with `npm start`, or point at yours with --url or EMULATOR_URL\n');
    expect(code).toBe(1);
  } finally {
    forget();
  }
});

describe('with an emulator running', () => {
  let emulator: TestEmulator;
  let forget: () => void;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    forget = recordAddress(emulator.url, addressFile);
  });
  afterAll(async () => {
    forget();
    await emulator.close();
  });

  it('wechat-code finds the recorded address without --url and mints a login code', async () => {
    const { code, stdout, stderr } = await run('wechat-code', ['login', 'o_scripts']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\S{8,}$/);
  });

  it('invoke calls a function at the recorded address as the given mini-program user', async () => {
    const { code, stdout, stderr } = await run('invoke', ['common', '--params', '{"name":"login"}', '--openid', 'o_scripts']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.stringify(JSON.parse(stdout))).toContain('o_scripts');
  });

  it('--url wins over the recorded address', async () => {
    const { code, stderr } = await run('wechat-code', ['login', 'o_x', '--url', 'http://127.0.0.1:9']);
    expect(code).toBe(1);
    expect(stderr).toContain('http://127.0.0.1:9');
  });
});
