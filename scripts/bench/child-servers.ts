// Servers for the load runs, each in a process of its own so that the load generator does not
// steal their CPU: the emulator (as `npm start` runs it) and a bare Node http server.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { buildEmulator } from '../lib/build-emulator';

const ROOT = path.resolve(__dirname, '../..');
/** USER_HZ: 100 on every Linux architecture Node supports. */
export const CLOCK_TICKS_PER_SECOND = 100;

export interface ChildServer {
  url: string;
  pid: number;
  /** Resident set size of the server process now, in MiB (from /proc). */
  rssMiB(): number;
  /**
   * CPU time (user + system) the server has used so far, in ms (from /proc): its own process and
   * every process it started (function instances run in processes of their own), live or ended.
   */
  cpuMs(): number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function waitFor(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before it was ready:\n${seen}`)));
  });
}

/** /proc/<pid>/stat fields after the ")" that ends the name: utime, stime, cutime, cstime are 11–14. */
export function statFields(pid: number): string[] | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return undefined; // ended meanwhile
  }
}

function childPids(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

/** A process's CPU ms plus its live descendants'; the root also counts its ended, reaped children (cutime, cstime). */
function treeCpuMs(pid: number, withReaped: boolean): number {
  const f = statFields(pid);
  if (!f) return 0;
  const ticks = Number(f[11]) + Number(f[12]) + (withReaped ? Number(f[13]) + Number(f[14]) : 0);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND + childPids(pid).reduce((sum, c) => sum + treeCpuMs(c, true), 0);
}

function handle(child: ChildProcess, url: string): ChildServer {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid as number,
    rssMiB: () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024,
    cpuMs: () => treeCpuMs(child.pid as number, true),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface ChildEmulatorOptions {
  functionEnv?: Record<string, string>;
  /** --max-instances; omitted = the emulator's default. */
  maxInstances?: number;
  /** --data DIR; omitted = --in-memory. */
  dataDir?: string;
  /** Default 'bundle': dist/emulator/cli.js, as `npm start` runs it (built once per bench run); 'tsx': emulator/cli.ts through tsx. */
  entry?: 'bundle' | 'tsx';
  /** --runtime; omitted = the emulator's default (declared). */
  runtime?: 'declared' | 'host';
}

/** `node --import tsx emulator/cli.ts` or `node dist/emulator/cli.js` (one process, so its pid is the emulator's), resolved once it listens. */
let emulatorBuilt: Promise<unknown> | undefined;

export async function startChildEmulator(functionsDir: string, options: ChildEmulatorOptions = {}): Promise<ChildServer> {
  const entry = options.entry ?? 'bundle';
  if (entry === 'bundle') await (emulatorBuilt ??= buildEmulator());
  const port = await freePort();
  const args = [
    ...(entry === 'bundle' ? ['--enable-source-maps', path.join(ROOT, 'dist/emulator/cli.js')] : ['--import', 'tsx', path.join(ROOT, 'emulator/cli.ts')]),
    ...(options.dataDir ? ['--data', options.dataDir] : ['--in-memory']),
    '--port', String(port), '--functions', functionsDir, '--quiet',
    ...(options.maxInstances ? ['--max-instances', String(options.maxInstances)] : []),
    ...(options.runtime ? ['--runtime', options.runtime] : []),
    ...Object.entries(options.functionEnv ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await waitFor(child, /listening on/);
  return handle(child, `http://127.0.0.1:${port}`);
}

export async function startChildBareServer(bytes: string): Promise<ChildServer> {
  const port = await freePort();
  const code = `require('http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/json; charset=utf-8','content-length':Buffer.byteLength(process.env.BYTES)});s.end(process.env.BYTES)})}).listen(${port},'127.0.0.1',()=>console.log('listening on'))`;
  const child = spawn(process.execPath, ['-e', code], { env: { ...process.env, BYTES: bytes }, stdio: ['ignore', 'pipe', 'inherit'] });
  await waitFor(child, /listening on/);
  return handle(child, `http://127.0.0.1:${port}/`);
}
