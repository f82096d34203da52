// `npm start`: run the emulator on http://127.0.0.1:8090 with data persisted under .emulator-data.
//   --port N   --host H   --data DIR   --in-memory   --functions DIR (repeatable)   --quiet (no log lines)
//   --env KEY=VALUE (repeatable: configuration variables for every function)
//   --max-instances N (concurrent instances per function, default DEFAULT_MAX_INSTANCES_PER_FUNCTION)
//   --cors-origin ORIGIN (repeatable: a browser origin allowed to call /functions and /storage)
//   --allow-host NAME (repeatable: a Host name served besides 127.0.0.1, [::1], localhost and --host;
//     any other Host is refused with 421, see docs/security.md)
//   --runtime declared|host (declared: each function in processes on its runtime's Node.js, the
//     default; host: worker threads on this Node.js, see docs/runtime.md)
import path from 'node:path';
import { parseArgs } from 'node:util';
import { recordAddress } from './address-file';
import { consoleAssets } from './console/console-bundle';
import { DEFAULT_MAX_INSTANCES_PER_FUNCTION } from './runner/function-pool';
import { DataFolderInUse } from './data-folder-lock';
import type { RuntimeMode } from './runner/instance-placement';
import { DEFAULT_PORT, startEmulator, type RunningEmulator } from './server';
import { CorruptDataError } from './store/collection-file';

/** A bad command-line flag: reported by its message alone, with a non-zero exit. */
class FlagError extends Error {}

/** `--env KEY=VALUE` (repeatable): configuration variables for every function, e.g. RATE_LIMIT_PER_IP=1000. */
function parseFunctionEnv(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new FlagError(`--env expects KEY=VALUE, got "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

const MAX_INSTANCES_LIMIT = 100;

/** `--runtime declared|host`. */
function parseRuntimeMode(raw: string): RuntimeMode {
  if (raw !== 'declared' && raw !== 'host') throw new FlagError(`--runtime expects declared or host, got "${raw}"`);
  return raw;
}

/** One banner line per function: its runtime and the Node.js it really runs on, loudly when they differ. */
async function runtimeLines(emulator: RunningEmulator): Promise<string[]> {
  const lines: string[] = [];
  const defs = emulator.context.runner.definitions();
  const width = Math.max(0, ...defs.map((d) => d.name.length)) + 1;
  for (const d of defs) {
    const view = await emulator.context.runner.runtimeOf(d.name);
    if (!view) continue;
    const how = view.isolation === 'process' ? 'a process per instance' : 'worker threads';
    lines.push(`    ${d.name.padEnd(width)} ${view.runtime.padEnd(12)} Node.js ${view.node} (${how})`);
    if (view.runtimeFallback) lines.push(`    ${' '.repeat(width)} WARNING: not on ${view.runtime}'s Node.js: ${view.runtimeFallback}`);
  }
  return lines;
}

/** `--max-instances N`: a whole number of instances per function, 1..100. */
function parseMaxInstances(raw: string): number {
  const value = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= MAX_INSTANCES_LIMIT)) throw new FlagError(`--max-instances expects a whole number from 1 to ${MAX_INSTANCES_LIMIT}, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.EMULATOR_PORT ?? String(DEFAULT_PORT) },
      host: { type: 'string', default: process.env.EMULATOR_HOST ?? '127.0.0.1' },
      data: { type: 'string', default: process.env.EMULATOR_DATA ?? '.emulator-data' },
      'in-memory': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      env: { type: 'string', multiple: true },
      functions: { type: 'string', multiple: true },
      'max-instances': { type: 'string', default: process.env.EMULATOR_MAX_INSTANCES ?? String(DEFAULT_MAX_INSTANCES_PER_FUNCTION) },
      'cors-origin': { type: 'string', multiple: true },
      'allow-host': { type: 'string', multiple: true },
      runtime: { type: 'string', default: process.env.EMULATOR_RUNTIME ?? 'declared' },
    },
  });
  const runtime = parseRuntimeMode(values.runtime as string);
  const maxInstancesPerFunction = parseMaxInstances(values['max-instances'] as string);
  const emulator = await startEmulator({
    port: Number(values.port),
    host: values.host,
    dataDir: values.data,
    inMemory: values['in-memory'],
    functionsDirs: values.functions?.map((d) => path.resolve(d)),
    printLogs: !values.quiet,
    functionEnv: parseFunctionEnv(values.env ?? []),
    maxInstancesPerFunction,
    corsOrigins: values['cors-origin'],
    allowHosts: values['allow-host'],
    runtime,
  });
  const fns = emulator.context.runner.definitions().map((d) => d.name).join(', ') || '(none built: run npm run build)';
  console.log(`CloudBase emulator listening on ${emulator.url} (bound to ${values.host}: local use only)`);
  console.log(`  env: ${emulator.context.envId}   data: ${values['in-memory'] ? 'in memory' : path.resolve(values.data as string)}`);
  console.log(`  functions: ${fns}   (up to ${maxInstancesPerFunction} instances each)`);
  if (runtime === 'host') console.log(`  --runtime host: every function runs in worker threads on this Node.js ${process.version}, whatever its runtime says`);
  const runtimes = await runtimeLines(emulator);
  if (runtimes.length) console.log(['  runtimes (cloudbaserc.json, or the runtime a deploy named):', ...runtimes].join('\n'));
  console.log(`  callFunction: POST ${emulator.url}/functions/<name>   CloudBase API: POST ${emulator.url}/admin`);
  console.log(`  cloud storage: ${emulator.url}/storage/ (rules: storage.rules.json)`);
  console.log(`  web console: ${emulator.url}/_/ (local use only)`);
  console.log(`  tcb CLI: HTTP_PROXY=${emulator.url} NODE_EXTRA_CA_CERTS=<${emulator.url}/_emulator/tls/ca.pem saved to a file>`);
  console.log(`    key: tcb login --apiKeyId ${emulator.secrets.cloudSecretId} --apiKey ${emulator.secrets.cloudSecretKey}   (or npm run deploy -- --local)`);
  const forgetAddress = recordAddress(emulator.url);
  consoleAssets().catch((err: unknown) => console.error('[console] UI bundle failed to build:', (err as Error).message));
  const stop = async () => {
    forgetAddress();
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  // Bad flags, unreadable data files and a data folder another emulator holds get their message alone
  // (it names the flag, the file and line, or the owner's PID and port); anything else its stack.
  const badFlag = err instanceof FlagError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'));
  console.error(badFlag || err instanceof CorruptDataError || err instanceof DataFolderInUse ? `emulator: ${(err as Error).message}` : err);
  process.exit(1);
});
