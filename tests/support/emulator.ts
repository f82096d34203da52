// Starts an in-memory emulator on a free 127.0.0.1 port for a test file, and offers the calls tests
// make: callFunction as a user or a server, the real wx-server-sdk pointed at the emulator, and
// the control API.
import path from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorOptions, RunningEmulator } from '../../emulator/server';
import { collectOutput, type EmulatorOutput } from './emulator-output';
import { keepAliveClient } from './keep-alive-post';

const ROOT = path.resolve(__dirname, '../..');

export interface TestEmulator extends RunningEmulator {
  callFunction<T = unknown>(name: string, event: unknown, openid?: string): Promise<{ status: number; body: { result?: T; errCode?: number; errMsg?: string } }>;
  post<T = unknown>(pathname: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; headers: Headers }>;
  loginCode(openid: string): Promise<string>;
  phoneCode(phoneNumber: string): Promise<string>;
  /** What its functions printed and what it reported itself, kept instead of printed (tests/support/emulator-output.ts). */
  output: EmulatorOutput;
}

let fromSources = process.env.TEST_EMULATOR_FROM === 'sources';

/**
 * This file's emulators run from the TypeScript sources, loaded into the file's own module registry,
 * instead of from the bundle. For a file that shares more with the emulator than its API and
 * `context`'s methods: a class imported from emulator/ and compared (the bundle has its own copy;
ports are named tokens and work across copies), a
 * spy on Date or console, or jest's fake timers (the bundle lives in the worker's realm, not the
 * file's), or an object from `context` checked with toStrictEqual or expect.any (another realm's
 * Array and Object). TEST_EMULATOR_FROM=sources does it for every file, to debug with the
 * sources' line numbers.
 */
export function useEmulatorSources(): void {
  fromSources = true;
}

/**
 * The bundle of emulator/server.ts that jest's global setup built, loaded once per jest worker
 * outside jest's module registry: every file of the worker shares its modules, which V8 has
 * compiled and optimised by then, where a registry would load and run them afresh for each file
 * (their CPU was most of a file's own). The bundle is what `npm start` runs, built as npm start's is.
 */
function emulatorModule(): typeof import('../../emulator/server') {
  const bundle = process.env.TEST_EMULATOR_SERVER;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (fromSources || !bundle) return require('../../emulator/server') as typeof import('../../emulator/server');
  // jest gives test code its own node:module, whose createRequire loads into the file's registry.
  const { createRequire } = process.getBuiltinModule('node:module');
  return createRequire(__filename)(bundle) as typeof import('../../emulator/server');
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const output = collectOutput();
  const startedIn = expect.getState().currentTestName ?? '(before the tests)';
  const emulator = await emulatorModule().startEmulator({
    port: 0,
    inMemory: true,
    scheduleTimers: false,
    functionsDirs: process.env.TEST_FUNCTIONS_DIRS ? (JSON.parse(process.env.TEST_FUNCTIONS_DIRS) as string[]) : [path.join(ROOT, 'dist/functions'), path.join(ROOT, 'dist/test-functions')],
    functionOutput: output.functionOutput,
    diagnostics: output.diagnosticsSink,
    ...options,
  });
  // Node's http over kept-alive connections: fetch costs this process (the emulator's own) more per call.
  const client = keepAliveClient();
  const post = async <T>(pathname: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await client.post(`${emulator.url}${pathname}`, typeof body === 'string' ? body : (JSON.stringify(body) ?? ''), { 'content-type': 'application/json', ...headers });
    return { status: res.status, body: (res.json === undefined ? res.text : res.json) as T, headers: headersOf(res.headers) };
  };
  return {
    ...emulator,
    output,
    async close() {
      client.close();
      await emulator.close();
      output.save(`emulator ${emulator.url}, started in ${startedIn}`);
    },
    post,
    callFunction: (name, event, openid) => post(`/functions/${name}`, event, openid ? { 'x-wx-openid': openid } : {}),
    loginCode: async (openid) => (await post<{ code: string }>('/_emulator/wechat/login-code', { openid })).body.code,
    phoneCode: async (phoneNumber) => (await post<{ code: string }>('/_emulator/wechat/phone-code', { phoneNumber })).body.code,
  };
}

/** An answer's headers as fetch would give them. */
function headersOf(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
  return headers;
}

const sdks = new Map<string, typeof import('wx-server-sdk')>();

/**
 * The real wx-server-sdk in this test process, pointed at the emulator by configuration only.
 * The SDK keeps its first configuration for good, so each emulator gets its own module instance.
 */
export function sdkFor(emulator: RunningEmulator): typeof import('wx-server-sdk') {
  process.env.TENCENTCLOUD_REGION = 'ap-shanghai';
  // Outside SCF the SDK first probes Tencent Cloud's metadata host, which never answers offline.
  process.env.TENCENTCLOUD_RUNENV = 'SCF';
  process.env.SCF_NAMESPACE = emulator.context.envId;
  let cloud = sdks.get(emulator.url);
  if (!cloud) {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
    });
    cloud!.init({ env: emulator.context.envId, serviceUrl: `${emulator.url}/admin`, secretId: 'test', secretKey: 'test', timeout: 10_000 } as never);
    sdks.set(emulator.url, cloud!);
  }
  return cloud!;
}

type Database = ReturnType<ReturnType<typeof sdkFor>['database']>;
const collectionSeq = new Map<string, number>();

/** A new collection named `<prefix>_<n>`, holding `docs` in their insertion order. */
export async function freshCollection(db: Database, prefix: string, docs: Array<Record<string, unknown>> = []): Promise<string> {
  const n = (collectionSeq.get(prefix) ?? 0) + 1;
  collectionSeq.set(prefix, n);
  const name = `${prefix}_${n}`;
  await db.createCollection(name);
  if (docs.length > 0) await db.collection(name).add({ data: docs });
  return name;
}
