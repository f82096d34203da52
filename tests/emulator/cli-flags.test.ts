// The emulator's command line: --max-instances bounds concurrent instances per function (README,
// Configuration), its default is the pool's documented default, and a nonsense value stops the
// emulator with a message naming the flag and a non-zero exit, before anything listens.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_MAX_INSTANCES_PER_FUNCTION } from '../../emulator/runner/function-pool';
import { rawRequest } from '../support/raw-http';
import { emulatorCliArgs } from '../support/emulator-cli';

const ROOT = path.resolve(__dirname, '../..');
// The fixtures jest's global setup built for this run (probe has a slow call).
const TEST_FUNCTIONS = path.join(process.env.TEST_BUILD_DIR as string, 'test-functions');

jest.setTimeout(90_000);

const cli = (args: string[]) => spawn(process.execPath, [...emulatorCliArgs(), '--in-memory', '--port', '0', '--host', '127.0.0.1', '--quiet', '--functions', TEST_FUNCTIONS, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });

function runCli(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = cli(args);
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (/listening on/.test(stdout)) child.kill('SIGKILL'); // a bad value must never get this far
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr, stdout })));
}

it.each(['0', '-1', '1.5', 'abc', '101', ''])('refuses --max-instances %j with a message naming the flag', async (value) => {
  const { code, stderr, stdout } = await runCli([`--max-instances=${value}`]);
  expect(code).not.toBe(0);
  expect(stderr).toContain('--max-instances expects a whole number from 1 to 100');
  expect(stderr).not.toMatch(/\n\s+at /); // the message alone, not a stack
  expect(stdout).not.toContain('listening on');
});

describe('instances per function', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  /** The emulator's URL once it prints its listening line. */
  function start(args: string[]): Promise<string> {
    const child = cli(args);
    children.push(child);
    let out = '';
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve(match[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}: ${out}`)));
    });
  }

  /** Six concurrent 300 ms calls to probe, then how many instances served them. */
  async function instancesFor(extraArgs: string[]): Promise<number> {
    const url = await start(extraArgs);
    const calls = Array.from({ length: 6 }, (_, i) => fetch(`${url}/functions/probe`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wx-openid': `o_cli_${i}` }, body: JSON.stringify({ name: 'slowContext', data: { ms: 300 } }) }));
    const answers = await Promise.all(calls);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]); // queued calls are served, not refused
    const functions = (await (await fetch(`${url}/_emulator/functions`)).json()) as Array<{ name: string; instances: number }>;
    return functions.find((f) => f.name === 'probe')!.instances;
  }

  it('--max-instances 1 serves concurrent calls one at a time on one instance', async () => {
    expect(await instancesFor(['--max-instances', '1'])).toBe(1);
  });

  it('--allow-host NAME serves that Host name too, and any other name still gets 421 (docs/security.md)', async () => {
    const url = await start(['--allow-host', 'devbox.lan']);
    const port = Number(new URL(url).port);
    const status = async (host: string) => (await rawRequest(port, { method: 'GET', target: '/_emulator/stats', headers: [['Host', `${host}:${port}`]] }) as { status: number }).status;
    expect(await status('devbox.lan')).toBe(200);
    expect(await status('evil.example')).toBe(421);
  });

  // README, Configuration: EMULATOR_MAX_INSTANCES (--max-instances) defaults to 2.
  it('without the flag, six concurrent calls are served by exactly 2 instances, the documented default', async () => {
    expect(DEFAULT_MAX_INSTANCES_PER_FUNCTION).toBe(2);
    expect(await instancesFor([])).toBe(2);
  });
});
