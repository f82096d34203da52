// `npm start`'s help and start-up mistakes (issue 28): each mistake is one line on stderr naming the
// problem and the fix, a non-zero exit, no stack trace, and nothing listening.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { emulatorCliArgs } from '../support/emulator-cli';

const ROOT = path.resolve(__dirname, '../..');
jest.setTimeout(120_000); // each case starts a Node.js process, slow on a shared machine

let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-startup-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [...emulatorCliArgs(), '--quiet', '--functions', path.join(tmp, 'no-functions'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, EMULATOR_ADDRESS_FILE: path.join(tmp, 'address.json'), ...env },
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (/listening on[\s\S]*web console:/.test(stdout)) child.kill('SIGKILL'); // a mistake must never get this far (killed once the whole banner is out)
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr, stdout })));
}

/** One line on stderr, exit 1, nothing listening. */
async function expectMistake(args: string[], line: string | RegExp, env: Record<string, string> = {}): Promise<void> {
  const { code, stderr, stdout } = await runCli(args, env);
  expect(stdout).toBe('');
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(code).toBe(1);
}

it.each(['--help', '-h'])('%s prints every flag and exits 0', async (flag) => {
  const { code, stdout, stderr } = await runCli(['--in-memory', flag]);
  expect(code).toBe(0);
  expect(stderr).toBe('');
  for (const option of ['--port', '--host', '--data', '--in-memory', '--functions', '--env', '--max-instances', '--cors-origin', '--allow-host', '--runtime', '--quiet', '--help']) expect(stdout).toContain(option);
});

it.each(['abc', '70000', '-1', '1.5'])('refuses --port %s', (value) =>
  expectMistake(['--in-memory', `--port=${value}`], `emulator: --port expects a whole number from 0 to 65535 (0 picks a free port), got "${value}"`));

it.each(['notaurl', 'http://localhost:5173/', 'localhost:5173', 'http://a.example/app'])('refuses --cors-origin %s', (value) =>
  expectMistake(['--in-memory', '--port', '0', '--cors-origin', value], `emulator: --cors-origin expects an origin such as http://localhost:5173 (scheme, host and port, no path), got "${value}"`));

it('refuses an unknown flag and points at --help', () => expectMistake(['--in-memory', '--bogus'], "emulator: Unknown option '--bogus': see npm start -- --help"));

it('refuses a data folder that is a file', async () => {
  const file = path.join(tmp, 'a-file');
  fs.writeFileSync(file, 'x');
  await expectMistake(['--port', '0', '--data', file], `emulator: the data folder ${file} is a file: pass --data with a folder path, or --in-memory`);
  await expectMistake(['--port', '0', '--data', path.join(file, 'sub')], `emulator: ${file} is a file, so the data folder ${path.join(file, 'sub')} cannot be made: pass --data with a folder path, or --in-memory`);
});

describe('a busy port', () => {
  let server: net.Server;
  let port = 0;
  beforeAll(async () => {
    server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('names the process that holds it (found in /proc), and the process exits', () =>
    expectMistake(['--in-memory', '--port', String(port)], new RegExp(`^emulator: port ${port} on 127\\.0\\.0\\.1 is already in use by pid ${process.pid} \\(.+\\): stop that process, or pass --port with another port \\(--port 0 picks a free one\\)$`)));

  it('names the emulator recorded in the address file', async () => {
    const file = path.join(tmp, 'holder.json');
    fs.writeFileSync(file, JSON.stringify({ url: `http://127.0.0.1:${port}`, pid: process.pid }));
    await expectMistake(['--in-memory', '--port', String(port)], `emulator: port ${port} on 127.0.0.1 is already in use by an emulator (pid ${process.pid}, see holder.json): stop that process, or pass --port with another port (--port 0 picks a free one)`, { EMULATOR_ADDRESS_FILE: file });
  });
});

it('warns that a non-loopback --host exposes all data to anyone who can reach it', async () => {
  const { stdout } = await runCli(['--in-memory', '--port', '0', '--host', '0.0.0.0']);
  expect(stdout).toContain('listening on http://0.0.0.0:');
  expect(stdout).toContain('WARNING: bound to 0.0.0.0: the console and the control API have no sign-in, so anyone who can reach this address can read and change all data. Use --host 127.0.0.1 unless you mean that.');
  expect(stdout).not.toContain('local use only');
});
