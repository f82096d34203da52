// `npm start`: run the emulator on http://127.0.0.1:8090 with data persisted under .emulator-data.
//   --port N   --host H   --data DIR   --in-memory   --functions DIR (repeatable)   --quiet (no log lines)
//   --env KEY=VALUE (repeatable: configuration variables for every function)
import path from 'node:path';
import { parseArgs } from 'node:util';
import { consoleAssets } from './console/console-bundle';
import { DEFAULT_PORT, startEmulator } from './server';

/** `--env KEY=VALUE` (repeatable): configuration variables for every function, e.g. RATE_LIMIT_PER_IP=1000. */
function parseFunctionEnv(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new Error(`--env expects KEY=VALUE, got "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
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
    },
  });
  const emulator = await startEmulator({
    port: Number(values.port),
    host: values.host,
    dataDir: values.data,
    inMemory: values['in-memory'],
    functionsDirs: values.functions?.map((d) => path.resolve(d)),
    printLogs: !values.quiet,
    functionEnv: parseFunctionEnv(values.env ?? []),
  });
  const fns = emulator.context.runner.definitions().map((d) => d.name).join(', ') || '(none built: run npm run build)';
  console.log(`CloudBase emulator listening on ${emulator.url} (bound to ${values.host}: local use only)`);
  console.log(`  env: ${emulator.context.envId}   data: ${values['in-memory'] ? 'in memory' : path.resolve(values.data as string)}`);
  console.log(`  functions: ${fns}`);
  console.log(`  callFunction: POST ${emulator.url}/functions/<name>   CloudBase API: POST ${emulator.url}/admin`);
  console.log(`  web console: ${emulator.url}/_/ (local use only)`);
  console.log(`  tcb CLI: HTTP_PROXY=${emulator.url} NODE_EXTRA_CA_CERTS=<${emulator.url}/_emulator/tls/ca.pem saved to a file>`);
  console.log(`    key: tcb login --apiKeyId ${emulator.secrets.cloudSecretId} --apiKey ${emulator.secrets.cloudSecretKey}   (or npm run deploy -- --local)`);
  consoleAssets().catch((err: unknown) => console.error('[console] UI bundle failed to build:', (err as Error).message));
  const stop = async () => {
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
