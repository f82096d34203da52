// `npm run deploy -- [--local [--url URL]] [function...]`: build the bundles (a bundle whose inputs
// did not change since its last build is kept: scripts/lib/build-cache.ts), then run the official
// `tcb fn deploy <fn> --force` for each (in parallel) with cloudbaserc.json (functions with httpPaths in their
// config.json get `--path` for HTTP access). It reads the CLI's output per function, names every
// function that failed and exits non-zero; links are printed only when all succeeded.
// Cloud: needs `tcb login` and ENV_ID, WECHAT_APPID, WECHAT_SECRET, TOKEN_SECRET.
// --local: deploys to the running emulator (EMULATOR_URL or --url) through its cloud API.
// Before deploying it compares each function's runtime in the cloud (`tcb fn list`) with
// cloudbaserc.json, and stops on a mismatch; --recreate deletes and recreates such a function.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_BUILD_CACHE } from './lib/build-cache';
import { buildFunctions, functionNames, type BuiltFunction } from './lib/build-functions';
import { missingRcEntriesMessage } from './lib/cloudbaserc';
import { confirm, deployedRuntimes, describeMismatches, runtimeMismatches } from './lib/runtime-check';
import { CLI_DEFAULT_RUNTIME, declaredRuntimes } from './lib/runtimes';
import { emulatorUrl } from './lib/script-cli';
import { deploySucceeded, ensureLocalLogin, localTarget, runTcb, storedLogin, type TcbRun } from './lib/tcb-cli';

const ROOT = path.resolve(__dirname, '..');
const REQUIRED = ['ENV_ID', 'WECHAT_APPID', 'WECHAT_SECRET', 'TOKEN_SECRET'] as const;

const USAGE = `usage: npm run deploy -- [options] [function...]

Builds dist/functions (keeping bundles nothing changed for) and runs \`tcb fn deploy <fn> --force\` for each function (all by default).

options:
  --local        deploy to the running local emulator instead of the cloud
  --url URL      the emulator's address with --local (default: $EMULATOR_URL, the address npm start recorded, or http://127.0.0.1:8090)
  --recreate     delete and recreate each function deployed on another runtime than cloudbaserc.json
                 declares (a deploy cannot change a runtime); asks first
  --yes          with --recreate: do not ask
  -h, --help     show this help and deploy nothing

cloud deploys need \`npx tcb login\` and ${REQUIRED.join(', ')} in the environment.`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

function parse() {
  try {
    return parseArgs({ allowPositionals: true, strict: true, options: { local: { type: 'boolean', default: false }, url: { type: 'string' }, recreate: { type: 'boolean', default: false }, yes: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (err) {
    return fail(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parse();
  if (values.help) return void console.log(USAGE);
  if (values.url && !values.local) fail(`--url applies to --local deploys only\n\n${USAGE}`, 2);
  if (values.yes && !values.recreate) fail(`--yes applies to --recreate only\n\n${USAGE}`, 2);
  const known = functionNames(path.join(ROOT, 'cloudfunctions'));
  const unknown = positionals.filter((n) => !known.includes(n));
  if (unknown.length) fail(`unknown function(s): ${unknown.join(', ')} (known: ${known.join(', ')})`, 2);
  const selected = positionals.length ? positionals : known;
  const missingEntries = missingRcEntriesMessage(path.join(ROOT, 'cloudbaserc.json'), selected);
  if (missingEntries) fail(missingEntries);

  let env: NodeJS.ProcessEnv;
  let envId: string;
  let httpBase: string;
  if (values.local) {
    const url = emulatorUrl(values.url);
    const target = await localTarget(url);
    await ensureLocalLogin(target);
    env = target.env;
    envId = target.credentials.envId;
    httpBase = url;
  } else {
    const missing = REQUIRED.filter((k) => !process.env[k]);
    if (missing.length) fail(`missing environment variable(s) for a cloud deploy: ${missing.join(', ')} (cloudbaserc.json reads them)`);
    if (!storedLogin(os.homedir())) fail(`the tcb CLI is not logged in (no ${path.join(os.homedir(), '.config/.cloudbase/auth.json')}): run npx tcb login first`);
    env = process.env;
    envId = process.env.ENV_ID as string;
    httpBase = `https://${envId}.service.tcloudbase.com`;
  }

  // The runtime check's `tcb fn list` (a CLI start of its own) runs while the bundles build; nothing
  // is deployed before both are done.
  const stopListing = new AbortController();
  const listing = runTcb(['fn', 'list', '-e', envId, '--limit', '100'], env, { signal: stopListing.signal }).catch((err: Error): TcbRun => ({ status: 1, output: err.message, ms: 0 }));
  const buildStarted = performance.now();
  let built: BuiltFunction[];
  try {
    built = await buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: path.join(ROOT, 'dist/functions'), bundleSdk: true, only: selected, cacheDir: DEFAULT_BUILD_CACHE });
  } catch (err) {
    stopListing.abort();
    throw err;
  }
  console.log(describeBuild(built, performance.now() - buildStarted));
  await checkRuntimes(await listing, selected, envId, env, { recreate: values.recreate as boolean, yes: values.yes as boolean });
  // One CLI process per function, all at once (their time is mostly the CLI starting and polling);
  // each one's output is collected apart and printed whole, in the order of the functions.
  const started = performance.now();
  const runs = selected.map(async (name) => {
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist/functions', name, 'config.json'), 'utf8')) as { httpPaths?: string[] };
    const [httpPath] = config.httpPaths ?? [];
    const args = ['fn', 'deploy', name, '--force', '-e', envId, ...(httpPath ? ['--path', httpPath] : [])];
    return { name, args, httpPath, run: await runTcb(args, env) };
  });
  const results: Array<{ name: string; ok: boolean; ms: number; httpPath?: string }> = [];
  for (const pending of runs) {
    const { name, args, httpPath, run } = await pending;
    console.log(`$ tcb ${args.join(' ')}`);
    const ok = deploySucceeded(name, run);
    // The CLI prints its HTTP access link even after a failed deploy: keep it out of a failure's output.
    process.stdout.write(ok ? run.output : run.output.split('\n').filter((l) => !/HTTP access service link|访问链接/i.test(l)).join('\n'));
    results.push({ name, ok, ms: run.ms, httpPath });
  }
  const failed = results.filter((r) => !r.ok);
  console.log('');
  for (const r of results) console.log(`${r.ok ? 'deployed' : 'FAILED  '} ${r.name} (${(r.ms / 1000).toFixed(1)} s)`);
  console.log(`${results.length} function(s) in parallel: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (failed.length) fail(`\ndeploy failed for: ${failed.map((r) => r.name).join(', ')}`);
  for (const r of results) if (r.httpPath) console.log(`HTTP access: ${httpBase}${r.httpPath}`);
}

/** One line: which bundles were built and which were kept because nothing they are made from changed. */
function describeBuild(built: BuiltFunction[], ms: number): string {
  const names = (reused: boolean) => built.filter((b) => b.reused === reused).map((b) => b.name).join(', ');
  const parts = [names(false) && `built ${names(false)}`, names(true) && `unchanged since their last build: ${names(true)}`].filter(Boolean);
  return `dist/functions: ${parts.join('; ')} (${(ms / 1000).toFixed(1)} s)`;
}

/** Stops on a function deployed on another runtime than declared, or (--recreate) deletes it so that the deploy creates it anew. */
async function checkRuntimes(list: TcbRun, selected: string[], envId: string, env: NodeJS.ProcessEnv, options: { recreate: boolean; yes: boolean }): Promise<void> {
  const declared = declaredRuntimes(path.join(ROOT, 'cloudbaserc.json'));
  if (list.status !== 0) fail(`could not list the deployed functions to check their runtimes (tcb fn list):\n${list.output}`);
  const mismatches = runtimeMismatches(deployedRuntimes(list), (name) => declared.get(name) ?? CLI_DEFAULT_RUNTIME, selected);
  if (mismatches.length === 0) return;
  if (!options.recreate) fail(describeMismatches(mismatches));
  for (const m of mismatches) {
    if (!options.yes && !(await confirm(`Delete ${m.name} (deployed on ${m.deployed}) and create it again on ${m.declared}?`))) fail(`not recreated: ${m.name}; nothing was deployed`);
  }
  for (const m of mismatches) {
    console.log(`$ tcb fn delete ${m.name} -e ${envId}   (${m.deployed} → ${m.declared})`);
    const run = await runTcb(['fn', 'delete', m.name, '-e', envId], env);
    if (run.status !== 0) fail(`deleting ${m.name} failed; nothing was deployed:\n${run.output}`);
  }
}

main().catch((err) => fail((err as Error).message ?? String(err)));
