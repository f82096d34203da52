// The checks `npm test` runs before jest: the three TypeScript projects' type checks and eslint,
// side by side rather than one after another (each is one process, mostly on one core). Each keeps
// what it learnt in the cache folder (tsc's --incremental build info, eslint's --cache), so a second
// run rechecks only what changed; an empty folder (a fresh clone) checks everything. Lint uses no
// type information, so eslint's per-file cache cannot go stale through another file's types. Each
// one's output is printed whole when it ends, never interleaved.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
export const CHECK_CACHE = path.join(ROOT, 'node_modules/.cache');
const { resolve } = createRequire(__filename);
const TSC = resolve('typescript/bin/tsc');
const ESLINT = path.join(path.dirname(resolve('eslint/package.json')), 'bin/eslint.js');

interface Check {
  label: string;
  args: string[];
}

function checks(cache: string): Check[] {
  const tsc = (project: string, name: string) => ({ label: `tsc -p ${project}`, args: [TSC, '-p', project, '--incremental', '--tsBuildInfoFile', path.join(cache, 'tsc', `${name}.tsbuildinfo`)] });
  return [
    tsc('.', 'root'),
    tsc('emulator/console/ui', 'console-ui'),
    tsc('miniprogram', 'miniprogram'),
    { label: 'eslint .', args: [ESLINT, '.', '--cache', '--cache-location', path.join(cache, 'eslint/')] },
  ];
}

function run(check: Check): Promise<boolean> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, check.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', (err) => output.push(Buffer.from(`${err.message}\n`)));
    child.on('close', (code, signal) => {
      const ok = code === 0;
      const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
      process.stdout.write(`${ok ? 'ok    ' : 'FAILED'} ${check.label} (${took}${ok ? '' : signal ? `, signal ${signal}` : `, exit code ${code}`})\n${Buffer.concat(output).toString()}`);
      done(ok);
    });
  });
}

/** Runs every check; resolves with the labels of those that failed ([] when all passed). */
export async function runChecks(cacheDir: string = CHECK_CACHE): Promise<string[]> {
  const all = checks(path.resolve(cacheDir));
  const results = await Promise.all(all.map(run));
  return all.filter((_, i) => !results[i]).map((c) => c.label);
}
