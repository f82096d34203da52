// GetFunction's Status while a change is still being applied. What the tcb CLI reads: its
// waitFunctionActive (@cloudbase/cli 2.12.10, node_modules/@cloudbase/cli/dist/standalone/cli.js
// ~903414-903451) calls GetFunction every second and waits on while Status is `Creating` or
// `Updating`, fails on `CreateFailed` and is done on anything else. What the statuses mean
// (https://cloud.tencent.com/document/api/583/47175): Creating = being created, Updating = being
// updated, Active = available; a failed or pending update leaves the previous version running.
// The errors for a change to a function that is not Active are SCF's (tencentcloud-sdk-go,
// scf/v20180416/errors.go): FailedOperation.UpdateFunctionCode "当前函数状态无法更新代码，请在状态为
// 正常时更新", FailedOperation.UpdateFunctionConfiguration, FailedOperation.CreateTrigger,
// FailedOperation.DeleteFunction.
// A request arriving during another one's code unpacking cannot be timed from outside, so the
// actions are called in-process on the emulator's own function host: the request being applied is
// left pending (not awaited) while the others are made, with no I/O turn in between.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { CloudState } from '../../emulator/cloud-api/cloud-state';
import { CosUploads } from '../../emulator/cloud-api/cos-uploads';
import { FunctionStatuses } from '../../emulator/cloud-api/function-status';
import { SCF_ACTIONS, type ScfDeps } from '../../emulator/cloud-api/scf-actions';
import { FUNCTION_HOST } from '../../emulator/runner/ports';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

let emulator: TestEmulator;
let deps: ScfDeps;
let dir: string;

const zipOf = (version: number) => Buffer.from(zipSync({ 'index.js': strToU8(`exports.main = async () => ({ version: ${version} });`) })).toString('base64');
const call = async (action: string, params: Record<string, unknown>) => SCF_ACTIONS[action]!({ Namespace: emulator.context.envId, ...params }, deps);
const statusOf = async (name: string) => ((await call('GetFunction', { FunctionName: name })) as { Status: string }).Status;
const errorOf = (pending: Promise<unknown>) => pending.then(() => undefined, (err: { code?: string }) => err.code);
const version = async (name: string) => (await emulator.callFunction<{ version: number }>(name, {})).body.result?.version;

beforeAll(async () => {
  emulator = await startTestEmulator({ functionsDirs: [] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'function-status-'));
  deps = { envId: emulator.context.envId, host: emulator.context.ports.need(FUNCTION_HOST), state: new CloudState(dir), cos: new CosUploads(), statuses: new FunctionStatuses(), now: () => new Date() };
});

afterAll(async () => {
  await emulator?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('while CreateFunction unpacks the code, the function is Creating (listed, not created twice, not updated); once it answers, Active', async () => {
  const creating = call('CreateFunction', { FunctionName: 'statusFn', Handler: 'index.main', Runtime: 'Nodejs20.19', Code: { ZipFile: zipOf(1) } });
  expect(await statusOf('statusFn')).toBe('Creating');
  const listed = (await call('ListFunctions', {})) as { Functions: Array<{ FunctionName: string; Status: string }> };
  expect(listed.Functions).toEqual([expect.objectContaining({ FunctionName: 'statusFn', Status: 'Creating' })]);
  expect(await errorOf(call('CreateFunction', { FunctionName: 'statusFn', Handler: 'index.main', Runtime: 'Nodejs20.19', Code: { ZipFile: zipOf(9) } }))).toBe('ResourceInUse.Function');
  expect(await errorOf(call('UpdateFunctionCode', { FunctionName: 'statusFn', Handler: 'index.main', ZipFile: zipOf(9) }))).toBe('FailedOperation.UpdateFunctionCode');
  await creating;
  expect(await statusOf('statusFn')).toBe('Active');
  expect(await version('statusFn')).toBe(1);
});

test('while UpdateFunctionCode unpacks the code, the function is Updating and other changes are refused', async () => {
  const updating = call('UpdateFunctionCode', { FunctionName: 'statusFn', Handler: 'index.main', ZipFile: zipOf(2) });
  // Only awaits of settled promises from here to `await updating`: no I/O turn lets the unpacking finish.
  expect(await statusOf('statusFn')).toBe('Updating');
  expect(await errorOf(call('UpdateFunctionCode', { FunctionName: 'statusFn', Handler: 'index.main', ZipFile: zipOf(3) }))).toBe('FailedOperation.UpdateFunctionCode');
  expect(await errorOf(call('UpdateFunctionConfiguration', { FunctionName: 'statusFn', Timeout: 9 }))).toBe('FailedOperation.UpdateFunctionConfiguration');
  expect(await errorOf(call('BatchCreateTrigger', { FunctionName: 'statusFn', Triggers: JSON.stringify([{ TriggerName: 't', Type: 'timer', TriggerDesc: '0 0 4 * * 1 *' }]) }))).toBe('FailedOperation.CreateTrigger');
  expect(await errorOf(call('DeleteFunction', { FunctionName: 'statusFn' }))).toBe('FailedOperation.DeleteFunction');
  await updating;
  expect(await statusOf('statusFn')).toBe('Active');
  expect(await version('statusFn')).toBe(2);
});

test('a code update that fails leaves the function Active on its previous version', async () => {
  expect(await errorOf(call('UpdateFunctionCode', { FunctionName: 'statusFn', Handler: 'index.main', ZipFile: Buffer.from('not a zip').toString('base64') }))).toBe('InvalidParameterValue.ZipFile');
  expect(await statusOf('statusFn')).toBe('Active');
  expect(await version('statusFn')).toBe(2);
});
