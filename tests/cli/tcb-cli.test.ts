// The official tcb CLI (node_modules/.bin/tcb, unmodified) against an in-memory emulator, end to
// end: login, env list, fn deploy of the four built functions with the project's cloudbaserc.json,
// fn list, fn invoke, a redeploy (the update path) with a changed variable, fn delete; a wrong
// key; and `npm run deploy -- --local` failing honestly. The CLI reaches the emulator as its HTTP
// proxy (HTTP_PROXY + NODE_EXTRA_CA_CERTS with the emulator's CA, as the CLI's start-up banner says).
// Every CLI run costs seconds (it starts a 30 MB bundle), so runs are few and tests share state.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deploySucceeded, localTarget, runTcb, defaultLocalHome, type LocalTarget, type TcbRun } from '../../scripts/lib/tcb-cli';
import { cloudApi } from '../support/cloud-api-client';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

const ROOT = path.resolve(__dirname, '../..');
const CLI_RUN_MS = 120_000;
const FUNCTIONS = ['backdb', 'common', 'user', 'wechat'];

let emulator: TestEmulator;
let project: string;
let target: LocalTarget;

/** The cloud API actions the emulator logged since `from`, as service.Action. */
function actionsSince(from: number): string[] {
  return emulator.context.log.list().slice(from).filter((r) => r.kind === 'cloud-api').map((r) => `${r.function}.${r.eventName}`);
}
const collapse = (list: string[]) => list.filter((a, i) => a !== list[i - 1]);
const plain = (run: TcbRun) => run.output.replace(/\x1b\[[0-9;]*m/g, '');

function tcb(args: string[], env: NodeJS.ProcessEnv = target.env): Promise<TcbRun> {
  return runTcb(args, env, { cwd: project, timeoutMs: CLI_RUN_MS - 5_000 });
}

beforeAll(async () => {
  // No built functions: the first deploys take the create path, the redeploy the update path.
  emulator = await startTestEmulator({ functionsDirs: [] });
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'tcb-cli-project-'));
  // The project's own cloudbaserc.json, with its functionRoot (./dist/functions) holding this test run's build.
  fs.copyFileSync(path.join(ROOT, 'cloudbaserc.json'), path.join(project, 'cloudbaserc.json'));
  fs.mkdirSync(path.join(project, 'dist'));
  fs.symlinkSync(path.join(process.env.TEST_BUILD_DIR as string, 'functions'), path.join(project, 'dist/functions'));
  target = await localTarget(emulator.url, path.join(project, 'home'));
});

afterAll(async () => {
  await emulator?.close();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

test('the CLI is the pinned version: an upgrade must be checked against this suite first', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  expect(pkg.devDependencies['@cloudbase/cli']).toBe('2.12.10');
  expect((JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@cloudbase/cli/package.json'), 'utf8')) as { version: string }).version).toBe('2.12.10');
});

test('tcb login with a wrong key fails as the cloud does (AuthFailure.SignatureFailure, exit 1, nothing stored)', async () => {
  const from = emulator.context.log.list().length;
  const run = await tcb(['login', '--apiKeyId', target.credentials.secretId, '--apiKey', 'x'.repeat(32)]);
  expect(run.status).not.toBe(0);
  const authFile = path.join(target.home, '.config/.cloudbase/auth.json');
  expect(fs.existsSync(authFile) ? fs.readFileSync(authFile, 'utf8') : '').not.toContain('x'.repeat(32));
  const errors = emulator.context.log.list().slice(from).filter((r) => r.kind === 'cloud-api').map((r) => r.error);
  expect(errors[0]).toMatch(/^AuthFailure\.SignatureFailure/);
}, CLI_RUN_MS);

test('tcb login --apiKeyId --apiKey with the emulator key stores it (checked remotely with DescribeEnvs)', async () => {
  const from = emulator.context.log.list().length;
  const run = await tcb(['login', '--apiKeyId', target.credentials.secretId, '--apiKey', target.credentials.secretKey]);
  expect(run.status).toBe(0);
  const auth = JSON.parse(fs.readFileSync(path.join(target.home, '.config/.cloudbase/auth.json'), 'utf8')) as { credential: { secretId: string; secretKey: string } };
  expect(auth.credential).toMatchObject({ secretId: target.credentials.secretId, secretKey: target.credentials.secretKey });
  expect(actionsSince(from)).toContain('tcb.DescribeEnvs');
}, CLI_RUN_MS);

test('tcb env list shows the emulator environment', async () => {
  const run = await tcb(['env', 'list']);
  expect(run.status).toBe(0);
  expect(plain(run)).toContain(target.credentials.envId);
}, CLI_RUN_MS);

describe('fn deploy, list, invoke, redeploy, delete', () => {
  test('tcb fn deploy <fn> --force deploys each built function with cloudbaserc.json; each serves at once', async () => {
    for (const name of FUNCTIONS) {
      const from = emulator.context.log.list().length;
      const run = await tcb(['fn', 'deploy', name, '--force', '-e', target.credentials.envId, ...(name === 'wechat' ? ['--path', '/pb/api'] : [])]);
      expect({ name, ok: deploySucceeded(name, run) }).toEqual({ name, ok: true });
      // The create path's calls as observed in tcb-cli-offline.md; a CLI whose calls differ fails here.
      const expected = ['tcb.DescribeEnvs', 'tcb.DescribeTcbAccountInfo', 'scf.GetTempCosInfo', 'cos.ListMultipartUploads', 'cos.InitiateMultipartUpload', 'cos.UploadPart', 'cos.CompleteMultipartUpload', 'scf.CreateFunction', 'scf.GetFunction',
        ...(name === 'backdb' ? ['scf.BatchCreateTrigger', 'scf.GetFunction'] : []), ...(name === 'wechat' ? ['tcb.CreateCloudBaseGWAPI', 'scf.GetFunction'] : [])];
      expect(collapse(actionsSince(from))).toEqual(expected);
      // The create path waits twice (cli.js ~902472 after CreateFunction, ~902480 after triggers and
      // the HTTP path); each wait ends at its first GetFunction when that answers Active (~903428).
      expect(actionsSince(from).filter((a) => a === 'scf.GetFunction')).toHaveLength(2);
      expect(emulator.context.runner.has(name)).toBe(true);
    }
    // callFunction, HTTP access (the route `--path /pb/api` created) and the timer (cloudbaserc.json's trigger).
    expect((await emulator.callFunction('common', { name: 'login' }, 'o_cli_user')).status).toBe(200);
    const count = await fetch(`${emulator.url}/pb/api/system/users-count`, { method: 'POST' });
    expect(count.status).toBe(200);
    expect(await count.json()).toMatchObject({ code: 200, data: { total_users: 1 } });
    const timers = (await (await fetch(`${emulator.url}/_emulator/timers`)).json()) as Array<{ function: string; trigger: string; cron: string }>;
    expect(timers).toEqual([expect.objectContaining({ function: 'backdb', trigger: 'weeklyBackup', cron: '0 0 4 * * 1 *' })]);
  }, 4 * CLI_RUN_MS);

  test('tcb fn list lists the four functions', async () => {
    const run = await tcb(['fn', 'list', '-e', target.credentials.envId]);
    expect(run.status).toBe(0);
    for (const name of FUNCTIONS) expect(plain(run)).toContain(name);
  }, CLI_RUN_MS);

  test('tcb fn invoke common {"name":"auth"}: a server-side caller is refused (auth allows end users only) and the CLI reports the failure', async () => {
    const run = await tcb(['fn', 'invoke', 'common', '-e', target.credentials.envId, '--params', '{"name":"auth"}']);
    const out = plain(run);
    // The CLI prints "[common] 调用失败" (or its English text) and the ErrMsg when InvokeResult is not 0.
    expect(out).toMatch(/\[common\] (调用失败|call failed)/);
    expect(out).toContain('FORBIDDEN: auth may not be called by a server-side caller');
  }, CLI_RUN_MS);

  test('tcb fn invoke backdb {"name":"listJobs"} returns the (empty) job list as RetMsg', async () => {
    const run = await tcb(['fn', 'invoke', 'backdb', '-e', target.credentials.envId, '--params', '{"name":"listJobs"}']);
    const out = plain(run);
    expect(out).toMatch(/\[backdb\] (调用成功|call succeeded)/);
    expect(out).toMatch(/(返回结果|Return result)：\[\]\n/);
    const invoke = emulator.context.log.list().filter((r) => r.function === 'backdb' && r.eventName === 'listJobs').at(-1);
    expect(invoke).toMatchObject({ outcome: 'ok', source: 'tcb_cli', result: [] });
  }, CLI_RUN_MS);

  test('a redeploy takes the update path and the function sees its changed environment variable', async () => {
    const addHistory = async (hist: string) => (await emulator.callFunction<{ code: number; data: string[] }>('user', { name: 'addHistory', hist }, 'o_cli_user')).body.result;
    await addHistory('first');
    expect((await addHistory('second'))?.data).toEqual(['second', 'first']);
    const config = JSON.parse(fs.readFileSync(path.join(project, 'cloudbaserc.json'), 'utf8')) as { functions: Array<{ name: string; envVariables: Record<string, string> }> };
    config.functions.find((f) => f.name === 'user')!.envVariables.HISTORY_MAX_ENTRIES = '1';
    fs.writeFileSync(path.join(project, 'cloudbaserc.json'), JSON.stringify(config, null, 2));
    const from = emulator.context.log.list().length;
    const run = await tcb(['fn', 'deploy', 'user', '--force', '-e', target.credentials.envId]);
    expect(deploySucceeded('user', run)).toBe(true);
    const actions = collapse(actionsSince(from));
    expect(emulator.context.log.list().slice(from).find((r) => r.eventName === 'CreateFunction')?.error).toMatch(/^ResourceInUse\.Function/);
    expect(actions).toEqual(expect.arrayContaining(['scf.UpdateFunctionCode', 'scf.UpdateFunctionConfiguration']));
    // The update path waits five times (cli.js ~903051 before UpdateFunctionCode, ~903055 after it as
    // `tcb fn deploy` sets isWaitInstall ~728159, ~902498, ~902502 after the configuration, ~902510
    // at the end); each wait ends at its first GetFunction when that answers Active (~903428).
    expect(actionsSince(from).filter((a) => a === 'scf.GetFunction')).toHaveLength(5);
    expect((await addHistory('third'))?.data).toEqual(['third']);
    expect(emulator.context.deploymentHistory('user').map((d) => d.action)).toEqual(['CreateFunction', 'UpdateFunctionCode']);
  }, CLI_RUN_MS);

  test('tcb fn delete removes the function', async () => {
    const run = await tcb(['fn', 'delete', 'user', '-e', target.credentials.envId]);
    expect(run.status).toBe(0);
    expect(emulator.context.runner.has('user')).toBe(false);
    expect((await emulator.callFunction('user', { name: 'get' }, 'o_cli_user')).body.errCode).toBe(-504002);
  }, CLI_RUN_MS);
});

test('npm run deploy -- --local exits non-zero, names the function and prints no link when the emulator rejects the deploy', async () => {
  const api = cloudApi(emulator.url, fs.readFileSync(target.caFile, 'utf8'), target.credentials);
  // Take /pb/api away from wechat: its deploy then fails at the HTTP access route (InvalidParameter.APICreated).
  expect((await api('tcb', 'DeleteCloudBaseGWAPI', { ServiceId: target.credentials.envId, Name: 'wechat', Type: 1 })).Response.Error).toBeUndefined();
  expect((await api('tcb', 'CreateCloudBaseGWAPI', { ServiceId: target.credentials.envId, Path: '/pb/api', Type: 1, Name: 'common', AuthSwitch: 2 })).Response.Error).toBeUndefined();
  // The script's private CLI home gets the login the real `tcb login` above wrote (saves a CLI run).
  const home = defaultLocalHome(emulator.url);
  fs.mkdirSync(path.join(home, '.config/.cloudbase'), { recursive: true });
  fs.copyFileSync(path.join(target.home, '.config/.cloudbase/auth.json'), path.join(home, '.config/.cloudbase/auth.json'));
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('npm', ['run', '-s', 'deploy', '--', '--local', '--url', emulator.url, 'wechat'], { cwd: ROOT, env: { ...process.env, EMULATOR_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
  fs.rmSync(home, { recursive: true, force: true });
  expect(result.code).toBe(1);
  expect(result.output).toContain('deploy failed for: wechat');
  expect(result.output).not.toMatch(/HTTP access: |HTTP access service link/);
}, 2 * CLI_RUN_MS);
