// `npm run bench` refuses nonsense options before measuring anything: a message naming the option
// (README, Tests and benchmark) and exit code 2 — so `--scale 1e6` can never seed a wrong number.
// The command line is read by readBenchArgs before any part runs (scripts/bench.ts), so each case
// is checked on it directly; one spawned bench shows the refusal reaching the terminal as exit 2.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { readBenchArgs } from '../../scripts/bench/bench-args';
import { UsageError } from '../../scripts/bench/format';
import { PARTS } from '../../scripts/bench/parts';

const ROOT = path.resolve(__dirname, '../..');

jest.setTimeout(120_000);

const refusal = (args: string[]): string => {
  try {
    readBenchArgs(args, PARTS);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error(`${JSON.stringify(args)} was accepted`);
};

it.each([
  [['--scale', 'abc'], '--scale expects a whole number from 1 to 10000000, got "abc"'],
  [['--scale', '0'], '--scale expects a whole number from 1 to 10000000, got "0"'],
  [['--scale', '1e6'], '--scale expects a whole number from 1 to 10000000, got "1e6"'],
  [['--scale', '100000000'], '--scale expects a whole number from 1 to 10000000'],
  [['--scale=-5'], '--scale expects a whole number'],
  [['--scale'], "Option '--scale <value>' argument missing"],
  [['--only', 'scale'], 'the scale part needs --scale N'],
  [['--only', 'nope'], '--only expects part names from: cold-start'],
  [['--runs', '1.5'], '--runs expects a whole number'],
  [['--instances', '1,,4'], '--instances expects comma-separated whole numbers'],
  [['--scale', '1000', '--seconds', 'x', '--only', 'scale,load'], '--seconds expects a whole number'],
  [['--bogus'], "Unknown option '--bogus'"],
])('npm run bench -- %j is refused naming the problem', (args, message) => {
  expect(refusal(args)).toContain(message);
});

it('reads good options into the parts that run, in run order', () => {
  const args = readBenchArgs(['--only', 'scale,load', '--scale', '1000'], PARTS);
  expect('parts' in args && args.parts.map((p) => p.name)).toEqual(['load', 'scale']);
  const alone = readBenchArgs(['--scale', '1000'], PARTS);
  expect('parts' in alone && alone.parts.map((p) => p.name)).toEqual(['scale']);
});

it('npm run bench exits 2 on a refused option, printing the reason and running no part', () => {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--scale', '1e6'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(res.status).toBe(2);
  expect(res.stderr).toContain('bench: --scale expects a whole number from 1 to 10000000, got "1e6"');
  expect(res.stdout).not.toContain('=='); // no part ran
});
