// What README and its reference pages tell a new user to rely on, checked against what really
// happens: every command block README shows, run against a fresh emulator, prints what the block
// after it says (`…` is text that varies); the export file names (docs/configuration.md); where the
// WeChat stand-in's appid and secret are kept (docs/endpoints.md; /cgi-bin/token accepts them, as
// WeChat's getAccessToken is called: GET with grant_type, appid, secret); and that every dependency
// install script the lockfile knows of was reviewed in package.json allowScripts
// (docs/dependencies.md; npm 11.16+ warns about the others; npm 12 will not run them).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { emulatorCliArgs } from '../support/emulator-cli';

const ROOT = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const doc = (name: string) => fs.readFileSync(path.join(ROOT, 'docs', name), 'utf8');

let emulator: TestEmulator;
let dataDir: string;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-claims-'));
  emulator = await startTestEmulator({ inMemory: false, dataDir });
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('names export files the way README documents them', async () => {
  const row = doc('configuration.md').split('\n').find((line) => line.startsWith('| `BACKUP_PATH_PREFIX`')) ?? '';
  const documented = /`(backup\/[^`]+)`/.exec(row.split('|')[3] ?? '')?.[1];
  expect(documented).toBeDefined();
  const pattern = new RegExp(`^${(documented as string)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace('<YYYY-MM-DD>', '\\d{4}-\\d{2}-\\d{2}')
    .replace('<collection>', 'users')
    .replace('<HHmmss>', '\\d{6}')
    .replace('<8 hex>', '[0-9a-f]{8}')}$`);
  const res = await emulator.callFunction<{ file_path: string }>('backdb', { name: 'createJob', data: { collection: 'users' } });
  expect(res.status).toBe(200);
  expect(res.body.result?.file_path).toMatch(pattern);
});

it("keeps the stand-in's appid and secret in <data>/secrets.json, where README says, and /cgi-bin/token accepts them", async () => {
  expect(doc('endpoints.md')).toContain('`.emulator-data/secrets.json` (`appid`,\n`appSecret`; with `--data <dir>`, in `<dir>/secrets.json`');
  const secrets = JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as { appid: string; appSecret: string };
  const query = new URLSearchParams({ grant_type: 'client_credential', appid: secrets.appid, secret: secrets.appSecret });
  const res = await fetch(`${emulator.url}/cgi-bin/token?${query}`);
  expect(await res.json()).toMatchObject({ access_token: expect.any(String), expires_in: 7200 });
});

it('reviews every install script in the lockfile in package.json allowScripts', () => {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
  const withScripts = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript).map(([where]) => where.replace(/^.*node_modules\//, '')).sort();
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
  expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual(withScripts);
  for (const name of withScripts) expect(doc('dependencies.md')).toContain(`\`${name}\``);
});

/** README's fenced blocks, in order. */
function fencedBlocks(text: string): Array<{ lang: string; body: string }> {
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] as string, body: (m[2] as string).replace(/\n$/, '') }));
}

/** Each sh block with the text block that follows it (what README says it prints), if any. */
function commandBlocks(): Array<{ commands: string; prints?: string }> {
  const blocks = fencedBlocks(README);
  return blocks.flatMap((b, i) => (b.lang === 'sh' ? [{ commands: b.body, prints: blocks[i + 1]?.lang === 'text' ? blocks[i + 1]?.body : undefined }] : []));
}

/** README's expected output as a whole-text pattern: `…` stands for any text. */
function printsPattern(expected: string, url: string): RegExp {
  const escaped = expected.replaceAll('http://127.0.0.1:8090', url).split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[\\s\\S]*?')}$`);
}

describe('README command blocks, on a fresh emulator', () => {
  const addressFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'readme-address-')), 'address.json');
  let child: ChildProcess | undefined;
  let banner = '';
  let url = '';
  const blocks = commandBlocks();

  beforeAll(async () => {
    // `npm start` is the build (the functions: done by the global setup) and then the emulator's
    // bundle of emulator/cli.ts, which the global setup built for this run too.
    expect((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start).toBe('npm run build && node --enable-source-maps dist/emulator/cli.js');
    // The functions the global setup built (dist/functions of the checkout may be absent or stale).
    const builtFunctions = (JSON.parse(process.env.TEST_FUNCTIONS_DIRS ?? '[]') as string[])[0] as string;
    child = spawn(process.execPath, [...emulatorCliArgs(), '--in-memory', '--port', '0', '--quiet', '--functions', builtFunctions], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EMULATOR_ADDRESS_FILE: addressFile } });
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (c: Buffer) => {
        banner += c.toString();
        if (/\n {4}key: .*\n/.test(banner)) resolve();
      });
      child!.once('exit', (code) => reject(new Error(`the emulator exited with ${code}: ${banner}`)));
    });
    url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] as string;
  }, 120_000);
  afterAll(() => {
    child?.kill('SIGTERM');
    fs.rmSync(path.dirname(addressFile), { recursive: true, force: true });
  });

  it('starts with npm ci and npm start, and the emulator prints what README shows', () => {
    const [start] = blocks;
    expect(start?.commands).toBe('npm ci\nnpm start');
    expect(banner.trimEnd()).toMatch(printsPattern(start?.prints as string, url));
  });

  it('runs every other command block in one shell, and each prints what README shows', async () => {
    const rest = blocks.slice(1);
    expect(rest.length).toBeGreaterThan(0);
    const MARK = '@@readme-block@@';
    const script = ['set -e', ...rest.map((b) => `${b.commands.replaceAll('http://127.0.0.1:8090', url)}\necho; echo ${MARK}`)].join('\n');
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const sh = spawn('bash', ['-c', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', EMULATOR_ADDRESS_FILE: addressFile } });
      let out = '';
      let err = '';
      sh.stdout.on('data', (c: Buffer) => (out += c.toString()));
      sh.stderr.on('data', (c: Buffer) => (err += c.toString()));
      sh.once('exit', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const outputs = stdout.split(`${MARK}\n`);
    rest.forEach((b, i) => {
      if (b.prints !== undefined) expect(outputs[i]?.trim()).toMatch(printsPattern(b.prints, url));
    });
  }, 120_000);
});
