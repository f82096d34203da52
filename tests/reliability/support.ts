// Shared by the reliability suites: the per-category tally every file saves at the end, a write
// counter that leaves out the two caches, raw HTTP calls, the invocation record of a call, and an
// emulator run as a child process (to be killed with SIGKILL and restarted on its data).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { DocumentStore } from '../../emulator/store/document-store';
import type { InvocationRecord } from '../../emulator/runner/invocation-log';
import type { TestEmulator } from '../support/emulator';
import { artifactPath, writeArtifact } from '../support/artifacts';
import { emulatorCliArgs } from '../support/emulator-cli';

const ROOT = path.resolve(__dirname, '../..');

/** tried / passed / lost per category; lost = a call left unanswered or data that went missing. */
export class Tally {
  private readonly rows = new Map<string, { tried: number; passed: number; lost: number }>();
  private readonly notes: string[] = [];

  count(category: string, outcome: { passed: boolean; lost?: number }): void {
    const row = this.rows.get(category) ?? { tried: 0, passed: 0, lost: 0 };
    row.tried += 1;
    if (outcome.passed) row.passed += 1;
    row.lost += outcome.lost ?? 0;
    this.rows.set(category, row);
  }

  /** Adds `lost` without counting a call (data found missing after the calls). */
  lose(category: string, lost: number): void {
    const row = this.rows.get(category) ?? { tried: 0, passed: 0, lost: 0 };
    row.lost += lost;
    this.rows.set(category, row);
  }

  /** `<category>: P of N passed` for every category where a call did not pass ([] when all did). */
  failures(): string[] {
    return [...this.rows].filter(([, r]) => r.passed < r.tried).map(([c, r]) => `${c}: ${r.passed} of ${r.tried} passed`);
  }

  tried(prefix = ''): number {
    return [...this.rows].filter(([c]) => c.startsWith(prefix)).reduce((n, [, r]) => n + r.tried, 0);
  }

  /** A line for the saved tally besides the categories' (how long a wave took, when a process was killed). */
  note(line: string): void {
    this.notes.push(line);
  }

  /**
   * Writes `[reliability] <category>: tried N, passed P, lost L` per category, then the notes, to
   * test-artifacts/tallies/reliability/<file>.test.txt; returns the total lost.
   */
  save(): number {
    let lost = 0;
    const lines: string[] = [];
    for (const [category, r] of this.rows) {
      lines.push(`[reliability] ${category}: tried ${r.tried}, passed ${r.passed}, lost ${r.lost}`);
      lost += r.lost;
    }
    writeArtifact(artifactPath('tallies', 'txt'), [...lines, ...this.notes].map((l) => `${l}\n`).join(''));
    return lost;
  }
}

/** The collections that are caches, written by calls that are then refused for good reasons. */
export const CACHE_COLLECTIONS = ['rate_limits', 'wechat_tokens'] as const;

/**
 * Counts the store's writes (the number GET /_emulator/stats reports, read in process) minus the
 * writes to the caches: wechat login and refresh-token count rate-limit hits before they can
 * refuse anything, and any WeChat call may refresh the cached access token. Every other write by
 * a refused call is a half-done change.
 */
export function dataWrites(store: DocumentStore): () => number {
  let cacheWrites = 0;
  const caches = new Set<string>(CACHE_COLLECTIONS);
  const target = store as unknown as Record<string, (name: string, ...rest: unknown[]) => Promise<unknown>>;
  const wrote: Record<string, (result: unknown) => boolean> = {
    insert: () => true,
    update: (r) => (r as { updated: number }).updated > 0,
    replace: () => true,
    remove: (r) => (r as number) > 0,
  };
  for (const [method, counted] of Object.entries(wrote)) {
    const original = (target[method] as (...a: unknown[]) => Promise<unknown>).bind(store);
    target[method] = async (name: string, ...rest: unknown[]) => {
      const result = await original(name, ...rest);
      if (caches.has(name) && counted(result)) cacheWrites += 1;
      return result;
    };
  }
  return () => store.writeCount - cacheWrites;
}

export interface RawReply {
  status: number;
  text: string;
  json: unknown;
}

/** POST with exactly these headers and body bytes (no content-type is added for a byte body). */
export async function rawPost(url: string, body: string | Uint8Array | undefined, headers: Record<string, string>): Promise<RawReply> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** The invocation record of a callFunction answer (by its requestID). */
export function invocationOf(emulator: TestEmulator, requestId: unknown): InvocationRecord | undefined {
  const records = emulator.context.log.list();
  for (let i = records.length - 1; i >= 0; i--) if (records[i]?.id === requestId) return records[i];
  return undefined;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ChildEmulator {
  url: string;
  process: ChildProcess;
  output: () => string;
  /** SIGKILL to the whole process group (the emulator and its function instances). */
  kill(): Promise<void>;
}

/**
 * The emulator CLI (as `npm start` runs it) with `--port <port> --data <dir> --functions <dir>` in its own process group,
 * resolved once it prints its `listening` line.
 */
export async function spawnEmulator(dataDir: string, functionsDir: string): Promise<ChildEmulator> {
  const port = await freePort();
  const child = spawn(process.execPath, [...emulatorCliArgs(), '--port', String(port), '--host', '127.0.0.1', '--data', dataDir, '--functions', functionsDir], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator did not start: ${output}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}: ${output}`)));
  });
  return {
    url,
    process: child,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), 'SIGKILL');
      await exited;
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
