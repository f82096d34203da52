// `npm run deploy` checks runtimes first: `tcb fn deploy` only sets Runtime when it creates a
// function (@cloudbase/cli 2.12.10 leaves it out of the configuration update), so a function
// created on Nodejs18.15 keeps running there whatever cloudbaserc.json says now (Nodejs20.19).
// The deploys run in a copy of the project, so their builds never race another file's on dist/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { defaultLocalHome, ensureLocalLogin, localTarget } from '../../scripts/lib/tcb-cli';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { copyProject } from '../support/project-copy';
import { buildOnRuntime } from '../support/runtime-build';

const CLI_RUN_MS = 120_000;

describe('npm run deploy and a function deployed on another runtime', () => {
  let onOld: TestEmulator;
  let home: string;
  let project: string;
  beforeAll(async () => {
    project = copyProject('deploy-runtime-project-');
    onOld = await startTestEmulator({ functionsDirs: [await buildOnRuntime('Nodejs18.15', ['wechat'])] });
    home = defaultLocalHome(onOld.url);
    // The script's private CLI home logged in with the real `tcb login`, as the script itself would.
    await ensureLocalLogin(await localTarget(onOld.url, home));
  }, CLI_RUN_MS);
  afterAll(async () => {
    await onOld?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  const deploy = (args: string[], answer?: string) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn('npm', ['run', '-s', 'deploy', '--', '--local', '--url', onOld.url, ...args, 'wechat'], { cwd: project, env: { ...process.env, EMULATOR_URL: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.stdin.end(answer ?? '');
      child.on('close', (code) => resolve({ code, output }));
    });
  const deployedActions = () => onOld.context.log.list().filter((r) => r.kind === 'cloud-api' && /^(UpdateFunctionCode|CreateFunction|DeleteFunction)$/.test(r.eventName)).map((r) => r.eventName);
  const wechatNode = async () => ((await (await fetch(`${onOld.url}/_emulator/functions`)).json()) as Array<{ name: string; runtime: string; node: string }>).find((f) => f.name === 'wechat');

  test('stops before deploying, naming the function, both runtimes and the fix', async () => {
    const result = await deploy([]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('wechat: deployed on Nodejs18.15, cloudbaserc.json declares Nodejs20.19');
    expect(result.output).toContain('npm run deploy -- --recreate wechat');
    expect(deployedActions()).toEqual([]);
    expect(await wechatNode()).toMatchObject({ runtime: 'Nodejs18.15', node: '18.15.0' });
  }, 2 * CLI_RUN_MS);

  test('--recreate asks first, and a "no" deletes and deploys nothing', async () => {
    const result = await deploy(['--recreate'], 'n\n');
    expect(result.output).toContain('Delete wechat (deployed on Nodejs18.15) and create it again on Nodejs20.19? [y/N]');
    expect(result.code).toBe(1);
    expect(deployedActions()).toEqual([]);
  }, 2 * CLI_RUN_MS);

  test('--recreate --yes deletes the function and the deploy creates it on the declared runtime, HTTP access included', async () => {
    const result = await deploy(['--recreate', '--yes']);
    expect(result.code).toBe(0);
    expect(deployedActions()).toEqual(['DeleteFunction', 'CreateFunction']);
    expect(await wechatNode()).toMatchObject({ runtime: 'Nodejs20.19', node: '20.19.0' });
    const login = await onOld.post<{ code: number }>('/pb/api/wechat/login', { users_wx_code: await onOld.loginCode('o_recreated') });
    expect(login.status).toBe(200);
  }, 3 * CLI_RUN_MS);
});
