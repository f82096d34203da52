// `npm start` shows what its functions print, as SCF's log shows an instance's console: a
// function's stdout on the emulator's stdout and its stderr on the emulator's stderr, whether its
// instances are processes (the default) or worker threads (--runtime host, docs/runtime.md).
// Tests keep that output instead (tests/support/emulator-output.ts); this is the terminal's side.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { emulatorCliArgs } from '../support/emulator-cli';
import { waitFor } from '../support/wait-for';

const ROOT = path.resolve(__dirname, '../..');
// The fixtures jest's global setup built for this run (probe prints on demand).
const TEST_FUNCTIONS = path.join(process.env.TEST_BUILD_DIR as string, 'test-functions');

jest.setTimeout(90_000);

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

it.each([['processes (the default)', []], ['worker threads (--runtime host)', ['--runtime', 'host']]])('prints a function\'s stdout and stderr on its own when instances are %s', async (_mode, args) => {
  const child = spawn(process.execPath, [...emulatorCliArgs(), '--in-memory', '--port', '0', '--host', '127.0.0.1', '--quiet', '--functions', TEST_FUNCTIONS, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const printed = { stdout: '', stderr: '' };
  child.stdout.on('data', (c: Buffer) => (printed.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (printed.stderr += c.toString()));
  const url = await waitFor('the listening line', () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed.stdout)?.[1], 9000);
  const out = `to stdout ${args.length}`;
  const err = `to stderr ${args.length}`;
  const res = await fetch(`${url}/functions/probe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'print', data: { out, err } }) });
  expect(res.status).toBe(200);
  await waitFor('both lines', () => printed.stdout.includes(`${out}\n`) && printed.stderr.includes(`${err}\n`));
  expect(printed.stdout).not.toContain(err);
  expect(printed.stderr).not.toContain(out);
});
