// Wall time of `npm run deploy -- --local` for all four functions against an emulator in its own
// process (as `npm start` serves them: the update path), after dist/functions was built as
// `npm start` builds it, split into the emulator's share (the cloud API's own request times) and
// the tcb CLI's (its process start, its fixed 1 s status waits, the rest of its work), plus the
// script's own part (its start, the build check, the runtime check's `tcb fn list`).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_BUILD_CACHE } from '../lib/build-cache';
import { buildFunctions } from '../lib/build-functions';
import { defaultLocalHome, ensureLocalLogin, localTarget, TCB_BIN, withCodeCache } from '../lib/tcb-cli';
import { startChildEmulator } from './child-servers';
import { benchBundles } from './bundles';
import { section } from './format';
import type { BenchPart } from './part';

const ROOT = path.resolve(__dirname, '../..');
/**
 * waitFunctionActive in the CLI (@cloudbase/cli 2.12.10, dist/standalone/cli.js ~903414) checks the
 * status on a setInterval of 1 s: its first GetFunction comes 1 s after the wait starts, whatever the answer.
 */
const CLI_POLL_INTERVAL_MS = 1000;

export interface DeployBenchRow { part: string; ms: number; share: string }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** A CLI start as the deploy's CLIs start: with the code cache runTcb gives them (tcb-code-cache.cjs). */
function cliStartMs(runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    spawnSync(TCB_BIN, ['--version'], { env: withCodeCache({ ...process.env, HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'tcb-start-')) }), stdio: 'ignore' });
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** What `npm start` leaves behind: dist/functions built (and stamped) from the current source. */
async function buildAsNpmStartDoes(): Promise<void> {
  await buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: path.join(ROOT, 'dist/functions'), bundleSdk: true, cacheDir: DEFAULT_BUILD_CACHE });
}

/** The Status of a logged GetFunction answer (the log keeps long answers as truncated JSON text). */
function statusOf(result: unknown): string | undefined {
  if (result && typeof result === 'object') return (result as { Status?: string }).Status;
  return typeof result === 'string' ? /"Status":"([A-Za-z]+)"/.exec(result)?.[1] : undefined;
}

export async function measureDeploy(functionsDir: string): Promise<DeployBenchRow[]> {
  await buildAsNpmStartDoes();
  const child = await startChildEmulator(functionsDir);
  try {
    // Logged in beforehand: the first `tcb login` is a one-off, not part of a deploy.
    await ensureLocalLogin(await localTarget(child.url));
    const logsBefore = ((await (await fetch(`${child.url}/_emulator/logs`)).json()) as unknown[]).length;
    const started = performance.now();
    const run = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const p = spawn('npm', ['run', '-s', 'deploy', '--', '--local', '--url', child.url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      p.stdout.on('data', (c: Buffer) => (output += c.toString()));
      p.stderr.on('data', (c: Buffer) => (output += c.toString()));
      p.on('close', (code) => resolve({ code, output }));
    });
    const wallMs = performance.now() - started;
    if (run.code !== 0) throw new Error(`npm run deploy -- --local failed:\n${run.output}`);
    const records = ((await (await fetch(`${child.url}/_emulator/logs`)).json()) as Array<{ kind?: string; function: string; eventName: string; durationMs: number; result?: unknown }>).slice(logsBefore);
    const api = records.filter((r) => r.kind === 'cloud-api');
    const emulatorMs = api.reduce((sum, r) => sum + r.durationMs, 0);
    const getFunction = api.filter((r) => r.eventName === 'GetFunction');
    const polls = getFunction.length;
    const activeAtOnce = getFunction.filter((r) => statusOf(r.result) === 'Active').length;
    const cliRuns = [...run.output.matchAll(/^deployed \S+ \(([\d.]+) s\)$/gm)].map((m) => Number(m[1]) * 1000);
    const cliMs = cliRuns.reduce((a, b) => a + b, 0);
    const startMs = cliStartMs(3) * cliRuns.length;
    const pollMs = polls * CLI_POLL_INTERVAL_MS;
    // The CLI runs overlap (one per function, in parallel): the script's own share is the wall time
    // beyond the longest run; the CLI's parts are sums over all runs, as shares of that sum.
    const longestMs = Math.max(...cliRuns);
    const pct = (ms: number, of: number) => `${((ms / of) * 100).toFixed(0)}%`;
    return [
      { part: `npm run deploy -- --local, ${cliRuns.length} functions (wall)`, ms: wallMs, share: '100%' },
      { part: 'script: npm + tsx start, build check, tcb fn list (wall beyond the longest CLI run)', ms: wallMs - longestMs, share: pct(wallMs - longestMs, wallMs) },
      { part: `tcb CLI: longest of the ${cliRuns.length} parallel runs`, ms: longestMs, share: pct(longestMs, wallMs) },
      { part: `tcb CLI: all runs summed (overlapping)`, ms: cliMs, share: '100% of sum' },
      { part: `  process start (${cliRuns.length} × tcb --version)`, ms: startMs, share: pct(startMs, cliMs) },
      // Each run waits 5 times (waitFunctionActive before and after the code update, after the
      // configuration update, after triggers and the HTTP path); each wait checks first after 1 s.
      { part: `  status waits (${polls} GetFunction, ${activeAtOnce} answered Active; each after the CLI's fixed 1 s)`, ms: pollMs, share: pct(pollMs, cliMs) },
      { part: '  the rest (zip, signing, TLS, output)', ms: cliMs - startMs - pollMs - emulatorMs, share: pct(cliMs - startMs - pollMs - emulatorMs, cliMs) },
      { part: `  emulator: ${api.length} API/COS requests`, ms: emulatorMs, share: pct(emulatorMs, cliMs) },
    ];
  } finally {
    child.stop();
    fs.rmSync(defaultLocalHome(child.url), { recursive: true, force: true });
  }
}

/** The `npm run bench` part: measures and prints the table; the rows go into the results file. */
export const deployPart: BenchPart = {
  name: 'deploy',
  describe: 'wall time of `npm run deploy -- --local` for all four functions, split into the CLI\'s own time and the emulator\'s',
  runByDefault: true,
  async run() {
    const rows = await measureDeploy(await benchBundles());
    section('npm run deploy -- --local: where the time goes (emulator in its own process)', rows as unknown as Array<Record<string, unknown>>);
    return rows;
  },
};
