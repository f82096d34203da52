// The test suite's time, as `npm test` spends it: `npm run check` (tsc and eslint side by side,
// from empty caches as on a fresh clone: scripts/check.ts), then `jest` on this checkout. Against
// the issue's 120 s: npm test's wall time (both), with jest's own `Time:` line beside it; and the CPU
// of every process each started (jest, its workers and what they spawned: function instances,
// emulator and tcb CLIs, chromium), which on two cores bounds the wall time from below. The ten
// slowest files are the suite's own report (tests/support/slowest-files-reporter.js).
import fs from 'node:fs';
import os from 'node:os';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CLOCK_TICKS_PER_SECOND, statFields } from './child-servers';
import { section, spread, wholeNumber } from './format';
import type { BenchPart } from './part';

const ROOT = path.resolve(__dirname, '../..');
const TARGET_S = 120;
/** The environment the bench started with: later parts point the SDK at their emulators through process.env. */
const START_ENV = { ...process.env };

/** CPU seconds of the descendants this process has waited for (cutime, cstime): each one's count includes its own waited children. */
function childrenCpuS(): number {
  const f = statFields(process.pid)!;
  return (Number(f[13]) + Number(f[14])) / CLOCK_TICKS_PER_SECOND;
}

interface SuiteRun { checkS: number; checkCpuS: number; wallS: number; jestTimeS: number; cpuS: number; slowest: string[] }

/** `npm run check` with a cache folder of its own, empty: what a fresh clone's npm test checks. */
function runChecks(): Promise<{ wallS: number; cpuS: number }> {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-check-cache-'));
  return new Promise<{ wallS: number; cpuS: number }>((resolve, reject) => {
    const cpuBefore = childrenCpuS();
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/check.ts'), '--cache-dir', cache], { cwd: ROOT, env: START_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`npm run check exited with ${code}:\n${output.slice(-2000)}`));
      resolve({ wallS: (performance.now() - started) / 1000, cpuS: childrenCpuS() - cpuBefore });
    });
  }).finally(() => fs.rmSync(cache, { recursive: true, force: true }));
}

async function runSuite(): Promise<SuiteRun> {
  const check = await runChecks();
  return { checkS: check.wallS, checkCpuS: check.cpuS, ...(await runJest()) };
}

function runJest(): Promise<Omit<SuiteRun, 'checkS' | 'checkCpuS'>> {
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpuS();
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/jest/bin/jest.js')], { cwd: ROOT, env: START_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallS = (performance.now() - started) / 1000;
      const cpuS = childrenCpuS() - cpuBefore;
      const time = /^Time:\s+([\d.]+) s/m.exec(output);
      if (code !== 0 || !time) return reject(new Error(`jest exited with ${code}:\n${output.split('\n').filter((l) => /FAIL|●|Tests:/.test(l)).join('\n') || output.slice(-2000)}`));
      const report = output.slice(output.indexOf('Slowest 10'));
      resolve({ wallS, jestTimeS: Number(time[1]), cpuS, slowest: report.split('\n').slice(1, 11).filter((l) => / s {2}tests\//.test(l)) });
    });
  });
}

export const suitePart: BenchPart = {
  name: 'suite',
  describe: `the test suite as npm test runs it (npm run check from empty caches, then jest): wall time against ${TARGET_S} s, and the CPU of every process each started`,
  runByDefault: true,
  options: { 'suite-runs': { type: 'string', default: '1' } },
  validate(values) {
    wholeNumber('suite-runs', values['suite-runs'], 1, 10);
  },
  async run(values) {
    const runs = wholeNumber('suite-runs', values['suite-runs'], 1, 10);
    const results: SuiteRun[] = [];
    for (let i = 0; i < runs; i++) results.push(await runSuite());
    const npmTestS = (r: SuiteRun) => r.checkS + r.wallS;
    const rows = results.map((r, i) => ({
      run: i + 1,
      npmTestS: Number(npmTestS(r).toFixed(1)),
      vsTarget: `${(npmTestS(r) / TARGET_S).toFixed(2)}×`,
      checkS: Number(r.checkS.toFixed(1)),
      checkCpuS: Number(r.checkCpuS.toFixed(1)),
      jestTimeS: Number(r.jestTimeS.toFixed(1)),
      jestWallS: Number(r.wallS.toFixed(1)),
      jestCpuS: Number(r.cpuS.toFixed(1)),
      coresUsed: Number(((r.checkCpuS + r.cpuS) / npmTestS(r)).toFixed(2)),
    }));
    const notes = [
      `target: npm test's wall time (npm run check from empty caches, then jest) ≤ ${TARGET_S} s${runs > 1 ? `; over runs ${spread(results.map(npmTestS), 1)} s, jest's Time ${spread(results.map((r) => r.jestTimeS), 1)} s` : ''}`,
      `slowest files of run ${runs}:`,
      ...results[runs - 1]!.slowest,
    ];
    section(`Test suite (${runs} run${runs > 1 ? 's' : ''} of npm test's two steps on this checkout; cpuS = user + system CPU of the step and every process it started and waited for)`, rows, notes);
    return { runs: results, targetS: TARGET_S };
  },
};
