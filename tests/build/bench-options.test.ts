// `npm run bench` refuses nonsense options before measuring anything: a message naming the option
// (README, Tests and benchmark) and exit code 2 — so `--scale 1e6` can never seed a wrong number.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

jest.setTimeout(120_000);

const bench = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

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
])('npm run bench -- %j exits 2 naming the problem', (args, message) => {
  const res = bench(args);
  expect(res.status).toBe(2);
  expect(res.stderr).toContain(message);
  expect(res.stdout).not.toContain('=='); // no part ran
});
