// The test suite's time: `jest` on this checkout as `npm test` runs it after typecheck and lint,
// its wall time and `Time:` line against the issue's 120 s, and the CPU of every process it started
// (jest, its workers and what they spawned: function instances, emulator and tcb CLIs, chromium),
// which on two cores bounds the wall time from below. The ten slowest files are the suite's own
// report (tests/support/slowest-files-reporter.js).
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

interface SuiteRun { wallS: number; jestTimeS: number; cpuS: number; slowest: string[] }

function runSuite(): Promise<SuiteRun> {
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
  describe: `the test suite (jest, as npm test runs it after typecheck and lint): wall time against ${TARGET_S} s, and the CPU of every process it started`,
  runByDefault: true,
  options: { 'suite-runs': { type: 'string', default: '1' } },
  validate(values) {
    wholeNumber('suite-runs', values['suite-runs'], 1, 10);
  },
  async run(values) {
    const runs = wholeNumber('suite-runs', values['suite-runs'], 1, 10);
    const results: SuiteRun[] = [];
    for (let i = 0; i < runs; i++) results.push(await runSuite());
    const rows = results.map((r, i) => ({
      run: i + 1,
      jestTimeS: Number(r.jestTimeS.toFixed(1)),
      wallS: Number(r.wallS.toFixed(1)),
      vsTarget: `${(r.jestTimeS / TARGET_S).toFixed(2)}×`,
      cpuS: Number(r.cpuS.toFixed(1)),
      coresUsed: Number((r.cpuS / r.wallS).toFixed(2)),
    }));
    const notes = [`target: jest's Time ≤ ${TARGET_S} s${runs > 1 ? `; Time over runs ${spread(results.map((r) => r.jestTimeS), 1)} s` : ''}`, `slowest files of run ${runs}:`, ...results[runs - 1]!.slowest];
    section(`Test suite (${runs} run${runs > 1 ? 's' : ''} of jest on this checkout; cpuS = user + system CPU of jest and every process it started and waited for)`, rows, notes);
    return { runs: results, targetS: TARGET_S };
  },
};
