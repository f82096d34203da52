// `npm run new-function -- hello` in a throwaway copy of the project, as a newcomer runs it: the
// template builds and serves through the real wx-server-sdk, `npm run deploy -- --local` refuses
// up front a function that cloudbaserc.json does not list (the tcb CLI would stop on a prompt),
// and once new-function has added the entry the official CLI deploys it with no question asked.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_RUNTIME } from '../../scripts/lib/runtimes';
import { defaultLocalHome } from '../../scripts/lib/tcb-cli';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';
import { copyProject } from '../support/project-copy';

const CLI_RUN_MS = 180_000;

let project: string;
let emulator: TestEmulator;
let originalRc: string;

// Asynchronous: the emulator under test runs in this process and must keep answering.
function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
      cwd: project,
      encoding: 'utf8',
      timeout: CLI_RUN_MS - 10_000,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: os.tmpdir(), EMULATOR_ADDRESS_FILE: path.join(project, 'no-emulator.json') },
    }, (_err, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }));
  });
}

const rcFunctions = () => (JSON.parse(fs.readFileSync(path.join(project, 'cloudbaserc.json'), 'utf8')) as { functions: Array<Record<string, unknown>> }).functions;

beforeAll(() => {
  project = copyProject('new-function-project-');
  originalRc = fs.readFileSync(path.join(project, 'cloudbaserc.json'), 'utf8');
});

afterAll(async () => {
  if (emulator) fs.rmSync(defaultLocalHome(emulator.url), { recursive: true, force: true });
  await emulator?.close();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

test('--help prints the usage and exits 0', async () => {
  const { code, stdout } = await run('new-function', ['--help']);
  expect(code).toBe(0);
  expect(stdout).toMatch(/^usage: npm run new-function -- <name>/);
});

test.each([['9lives'], ['ends-'], ['a'], ['x'.repeat(61)]])('refuses %s, which is not a CloudBase function name, with exit 2', async (name) => {
  // SCF CreateFunction's FunctionName: 2-60 letters, digits, - or _, starting with a letter, not ending with - or _.
  const { code, stderr } = await run('new-function', [name]);
  expect(code).toBe(2);
  expect(stderr.split('\n')[0]).toBe(`"${name}" is not a CloudBase function name: 2-60 letters, digits, - or _, starting with a letter, not ending with - or _`);
  expect(fs.existsSync(path.join(project, 'cloudfunctions', name))).toBe(false);
});

test('creates the function in the shape of the others and appends its cloudbaserc.json entry on the project runtime', async () => {
  const { code, stdout, stderr } = await run('new-function', ['hello']);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  for (const file of ['index.ts', 'router.ts', 'handlers/greet.ts', 'config.json']) expect(stdout).toContain(`created cloudfunctions/hello/${file}`);
  const functions = rcFunctions();
  expect(functions.slice(0, -1)).toEqual((JSON.parse(originalRc) as { functions: unknown[] }).functions);
  expect(functions.at(-1)).toEqual({ name: 'hello', handler: 'index.main', runtime: PROJECT_RUNTIME, timeout: 10, memorySize: 256, installDependency: false, envVariables: {}, ignore: ['node_modules', 'node_modules/**/*'] });
  // The existing entries keep their text: only the new one is added.
  const lastEntryEnd = originalRc.lastIndexOf('}', originalRc.lastIndexOf(']')) + 1;
  expect(fs.readFileSync(path.join(project, 'cloudbaserc.json'), 'utf8').slice(0, lastEntryEnd)).toBe(originalRc.slice(0, lastEntryEnd));
  const again = await run('new-function', ['hello']);
  expect(again.code).toBe(1);
  expect(again.stderr).toBe('cloudfunctions/hello and its cloudbaserc.json entry exist already: nothing to do\n');
}, CLI_RUN_MS);

test('the new function builds and answers through the real wx-server-sdk and as a mini-program user', async () => {
  const build = await run('build', ['hello']);
  expect(build.code).toBe(0);
  emulator = await startTestEmulator({ functionsDirs: [path.join(project, 'dist/functions')] });
  const cloud = sdkFor(emulator);
  const { result } = (await cloud.callFunction({ name: 'hello', data: { name: 'greet', data: { who: 'Ann' } } })) as { result: unknown };
  // No WeChat user in the SDK's context: a server-side caller (shared/router/caller.ts).
  expect(result).toEqual({ message: 'Hello, Ann!', caller: 'server' });
  const asUser = await emulator.callFunction('hello', { name: 'greet' }, 'o_new_function');
  expect(asUser.body.result).toEqual({ message: 'Hello, world!', caller: 'user' });
  const bad = await emulator.callFunction('hello', { name: 'greet', data: { who: '' } });
  expect(bad.body.errMsg).toMatch(/INVALID_PARAMS: who/);
}, CLI_RUN_MS);

test('deploy --local refuses, in one line naming the fix, a function cloudbaserc.json does not list, before the CLI starts', async () => {
  fs.writeFileSync(path.join(project, 'cloudbaserc.json'), originalRc);
  const from = emulator.context.log.list().length;
  const { code, stdout, stderr } = await run('deploy', ['--local', '--url', emulator.url, 'hello']);
  expect(code).toBe(1);
  expect(stderr).toBe('hello has no entry in cloudbaserc.json, so the tcb CLI would stop to ask for one: add it with npm run new-function -- hello\n');
  expect(stdout).toBe('');
  expect(emulator.context.log.list().slice(from).filter((r) => r.kind === 'cloud-api')).toEqual([]);
}, CLI_RUN_MS);

test('after new-function adds the missing entry, npm run deploy -- --local hello deploys it at the first try and it serves the new code', async () => {
  const { code, stdout } = await run('new-function', ['hello']);
  expect(code).toBe(0);
  expect(stdout).not.toContain('created');
  expect(stdout).toContain('added hello to cloudbaserc.json');
  const greet = path.join(project, 'cloudfunctions/hello/handlers/greet.ts');
  fs.writeFileSync(greet, fs.readFileSync(greet, 'utf8').replace('Hello, ', 'Hi, '));
  const deploy = await run('deploy', ['--local', '--url', emulator.url, 'hello']);
  expect({ code: deploy.code, stderr: deploy.stderr }).toEqual({ code: 0, stderr: '' });
  expect(deploy.stdout).toMatch(/^deployed hello \(/m);
  expect(deploy.stdout).not.toMatch(/config not found|Continue deployment/);
  expect(emulator.context.deploymentHistory('hello').length).toBeGreaterThan(0);
  expect((await emulator.callFunction('hello', { name: 'greet', data: { who: 'Ann' } })).body.result).toEqual({ message: 'Hi, Ann!', caller: 'server' });
}, 2 * CLI_RUN_MS);
