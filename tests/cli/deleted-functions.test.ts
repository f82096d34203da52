// Functions go away when they are removed (issue 24). A build drops dist/functions/<fn> whose source
// folder is gone; a function deleted through the Tencent Cloud API (scf DeleteFunction, what
// `tcb fn delete` sends) stays deleted across restarts, though every `npm start` rebuilds it byte
// for byte, until its source changes and is built or it is deployed again (CreateFunction).
// A deleted function answers as the API documents one that does not exist: ResourceNotFound.Function.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { buildFunctions } from '../../scripts/lib/build-functions';
import { cloudApi } from '../support/cloud-api-client';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

jest.setTimeout(60_000);

let root: string;
let src: string;
let out: string;
let dataDir: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'deleted-functions-'));
  [src, out, dataDir] = ['src', 'dist', 'data'].map((d) => path.join(root, d)) as [string, string, string];
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const writeSource = (name: string, version: number) => {
  fs.mkdirSync(path.join(src, name), { recursive: true });
  fs.writeFileSync(path.join(src, name, 'index.ts'), `export async function main() { return { name: ${JSON.stringify(name)}, version: ${version} }; }\n`);
};
const build = () => buildFunctions({ srcDir: src, outDir: out, bundleSdk: true });
const start = () => startTestEmulator({ inMemory: false, dataDir, functionsDirs: [out] });

async function api(emulator: TestEmulator) {
  const ca = await (await fetch(`${emulator.url}/_emulator/tls/ca.pem`)).text();
  const call = cloudApi(emulator.url, ca, { secretId: emulator.secrets.cloudSecretId, secretKey: emulator.secrets.cloudSecretKey });
  return (action: string, params: Record<string, unknown>) => call('scf', action, { Namespace: emulator.context.envId, ...params });
}

async function served(name: string): Promise<unknown> {
  const emulator = await start();
  try {
    const res = await emulator.callFunction<{ version: number }>(name, {});
    const described = await (await api(emulator))('GetFunction', { FunctionName: name });
    if (res.status === 200) return res.body.result?.version;
    expect(described.Response.Error?.Code).toBe('ResourceNotFound.Function');
    return 'gone';
  } finally {
    await emulator.close();
  }
}

test('a build removes the bundles of functions whose source is gone, and the emulator no longer serves them', async () => {
  writeSource('keptFn', 1);
  writeSource('removedFn', 1);
  await build();
  expect(fs.readdirSync(out).sort()).toEqual(['keptFn', 'removedFn']);
  fs.rmSync(path.join(src, 'removedFn'), { recursive: true });
  const removed: string[] = [];
  await buildFunctions({ srcDir: src, outDir: out, bundleSdk: true, onRemoved: (name) => removed.push(name) });
  expect(removed).toEqual(['removedFn']);
  expect(fs.readdirSync(out)).toEqual(['keptFn']);
  expect(await served('removedFn')).toBe('gone');
  expect(await served('keptFn')).toBe(1);
});

test('a function deleted through the API stays deleted across restarts and rebuilds, until its source changes or it is deployed again', async () => {
  writeSource('deletedFn', 1);
  await build();
  const emulator = await start();
  try {
    expect((await emulator.callFunction<{ version: number }>('deletedFn', {})).body.result?.version).toBe(1);
    expect((await (await api(emulator))('DeleteFunction', { FunctionName: 'deletedFn' })).Response.Error).toBeUndefined();
    expect((await emulator.callFunction('deletedFn', {})).status).toBe(404);
  } finally {
    await emulator.close();
  }
  expect(await served('deletedFn')).toBe('gone');
  await build(); // what every `npm start` does first: the same bundle again
  expect(await served('deletedFn')).toBe('gone');

  writeSource('deletedFn', 2);
  await build();
  expect(await served('deletedFn')).toBe(2);

  // Deleted again, then deployed again through the API: the deployment is served after restarts.
  const again = await start();
  try {
    const call = await api(again);
    expect((await call('DeleteFunction', { FunctionName: 'deletedFn' })).Response.Error).toBeUndefined();
    const zip = Buffer.from(zipSync({ 'index.js': strToU8('exports.main = async () => ({ version: 3 });') }));
    expect((await call('CreateFunction', { FunctionName: 'deletedFn', Handler: 'index.main', Code: { ZipFile: zip.toString('base64') } })).Response.Error).toBeUndefined();
  } finally {
    await again.close();
  }
  expect(await served('deletedFn')).toBe(3);
});
