// `npm test [-- <jest arguments>]`: the checks (scripts/lib/checks.ts), then jest with the arguments
// given, and last the wall time of both, which is what the suite's time target is measured on.
// Jest runs only when every check passed; the exit code is the first step's that failed.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runChecks } from './lib/checks';

const ROOT = path.resolve(__dirname, '..');
const JEST = path.join(path.dirname(createRequire(__filename).resolve('jest/package.json')), 'bin/jest.js');

async function main(): Promise<number> {
  const started = performance.now();
  const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1);
  const failed = await runChecks();
  const checksS = seconds(started);
  if (failed.length) {
    console.error(`\n${failed.length} check(s) failed: ${failed.join(', ')}; jest was not run`);
    return 1;
  }
  const jestStarted = performance.now();
  const code = await new Promise<number>((done) => {
    const child = spawn(process.execPath, [JEST, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', (err) => {
      console.error(`jest could not start: ${err.message}`);
      done(1);
    });
    child.on('close', (status, signal) => done(status ?? (signal ? 128 : 1)));
  });
  console.log(`npm test: ${seconds(started)} s of wall time (checks ${checksS} s, jest ${seconds(jestStarted)} s)${code === 0 ? '' : `; jest exited with ${code}`}`);
  return code;
}

void main().then((code) => process.exit(code));
