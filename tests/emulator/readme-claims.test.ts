// What README tells a new user to rely on (issue 11 item 11), checked against what really
// happens: the export file names, where the WeChat stand-in's appid and secret are kept (and that
// /cgi-bin/token accepts them, as WeChat's getAccessToken is called: GET with grant_type,
// appid, secret), and that every dependency install script the lockfile knows of was reviewed in
// package.json allowScripts (npm 11.16+ warns about the others; npm 12 will not run them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

const ROOT = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

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
  const row = README.split('\n').find((line) => line.startsWith('| `BACKUP_PATH_PREFIX`')) ?? '';
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
  expect(README).toContain('`.emulator-data/secrets.json` (`appid`,\n`appSecret`; with `--data <dir>`, in `<dir>/secrets.json`');
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
  for (const name of withScripts) expect(README).toContain(`\`${name}\``);
});
