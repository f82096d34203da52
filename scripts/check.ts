// `npm run check` (the first half of `npm test`): the three TypeScript projects' type checks and
// eslint, side by side rather than one after another (each is one process, mostly on one core).
// Each keeps what it learnt under node_modules/.cache (tsc's --incremental build info, eslint's
// --cache), so a second run rechecks only what changed; a fresh clone has neither and checks all.
// Each one's output is printed whole when it ends, never interleaved; any failure fails the run.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseScriptArgs } from './lib/script-cli';

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, 'node_modules/.cache');
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
  return new Promise((resolve) => {
    const child = spawn(process.execPath, check.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', (err) => output.push(Buffer.from(`${err.message}\n`)));
    child.on('close', (code, signal) => {
      const ok = code === 0;
      const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
      process.stdout.write(`${ok ? 'ok    ' : 'FAILED'} ${check.label} (${took}${ok ? '' : signal ? `, signal ${signal}` : `, exit code ${code}`})\n${Buffer.concat(output).toString()}`);
      resolve(ok);
    });
  });
}

const USAGE = `usage: npm run check [-- --cache-dir DIR]

Type-checks the three TypeScript projects (tsc -p ., emulator/console/ui, miniprogram) and lints with
eslint, side by side. npm test runs it before jest.

options:
  --cache-dir DIR  where tsc's build info and eslint's cache are kept (default node_modules/.cache;
                   an empty folder checks everything, as on a fresh clone)
  -h, --help       show this help`;
const { values } = parseScriptArgs({ 'cache-dir': { type: 'string' } }, USAGE, false);
const CHECKS = checks(path.resolve(values['cache-dir'] ?? CACHE));

void Promise.all(CHECKS.map(run)).then((results) => {
  const failed = CHECKS.filter((_, i) => !results[i]).map((c) => c.label);
  if (failed.length) {
    console.error(`\n${failed.length} check(s) failed: ${failed.join(', ')}`);
    process.exit(1);
  }
});
