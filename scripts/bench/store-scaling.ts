// Store scaling (issue 12's performance figures): a point read by a unique field through the real
// wx-server-sdk at 100 and N users (an index lookup: the ratio should stay within 2x), an
// unindexed count at N/10 and N users (a linear scan, no quadratic step), count() without a
// filter, and the store's start-up time and RSS for N users in a process of its own.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator } from '../../emulator/server';
import { DocumentStore } from '../../emulator/store/document-store';
import { COLLECTION_SPECS } from '../../shared/db/collections';
import { UsageError, section } from './format';
import type { BenchPart } from './part';
import { benchSdk } from './bench-sdk';

const ROOT = path.resolve(__dirname, '../..');

/** A users document of about 300 bytes, shaped like the ones the functions write. */
export function benchUser(i: number): Record<string, unknown> {
  const at = new Date(1_700_000_000_000 + i * 1000);
  return {
    openid: `o_bench_${String(i).padStart(9, '0')}_${'x'.repeat(10)}`,
    id: i + 1,
    nick_name: `用户${i % 5000}`,
    nickname: `user ${i}`,
    avatar: `https://img.example.com/avatar/${i}.png`,
    phone: `138${String(i).padStart(8, '0')}`,
    roles: [],
    history: [`search ${i}`],
    tokenVersion: 0,
    status: 'active',
    createdAt: at,
    updatedAt: at,
  };
}

async function seed(store: DocumentStore, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 1000) {
    await store.insert('users', Array.from({ length: Math.min(1000, to - i) }, (_, k) => benchUser(i + k)));
  }
}

async function timed(runs: number, run: (i: number) => Promise<unknown>): Promise<{ p50Ms: number; p99Ms: number }> {
  for (let i = 0; i < Math.min(20, runs); i++) await run(i); // warm up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50Ms: samples[Math.floor(runs / 2)]!, p99Ms: samples[Math.min(runs - 1, Math.floor(runs * 0.99))]! };
}

export interface StoreScalingRow {
  measure: string;
  docs: number;
  p50Ms: number;
  p99Ms: number;
}

/** Latencies through the real SDK against an in-process, in-memory emulator. */
export async function measureQueryScaling(total: number): Promise<StoreScalingRow[]> {
  const emu = await startEmulator({ port: 0, inMemory: true, functionsDirs: [], scheduleTimers: false });
  try {
    const cloud = benchSdk(emu.url, emu.context.envId, 60_000);
    const users = cloud.database().collection('users') as unknown as { where(q: object): { get(): Promise<unknown>; count(): Promise<unknown> }; count(): Promise<unknown> };
    const store = emu.context.store;
    const rows: StoreScalingRow[] = [];
    const pointRead = async (docs: number) => {
      const t = await timed(300, (i) => users.where({ openid: benchUser((i * 7919) % docs).openid }).get());
      rows.push({ measure: 'where({openid}).get() (unique index)', docs, ...t });
    };
    const scanCount = async (docs: number) => {
      const t = await timed(10, (i) => users.where({ nick_name: `用户${(i * 37) % 5000}` }).count());
      rows.push({ measure: 'where({nick_name}).count() (unindexed scan)', docs, ...t });
    };
    const small = Math.min(100, total);
    await seed(store, 0, small);
    await pointRead(small);
    await seed(store, small, total / 10);
    await scanCount(total / 10);
    await seed(store, total / 10, total);
    await pointRead(total);
    await scanCount(total);
    rows.push({ measure: 'count() without a filter', docs: total, ...(await timed(300, () => users.count())) });
    return rows;
  } finally {
    await emu.close();
  }
}

export interface StartupRow {
  users: number;
  fileMB: number;
  openMs: number;
  /** CPU time the open took (all threads): on a busy machine, steadier than the wall time. */
  cpuMs: number;
  /** RSS of the process after opening the store, and before (Node, tsx and the modules loaded). */
  rssMB: number;
  baselineRssMB: number;
  /** (RSS after − RSS before) / file size: what the store's data costs in memory. */
  storeRssVsFile: number;
}

/** Writes N users to a data folder, then opens it in a fresh process and reports time and RSS. */
export async function measureStartup(users: number): Promise<StartupRow> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-store-'));
  try {
    const store = await DocumentStore.open({ dir, collections: COLLECTION_SPECS });
    await seed(store, 0, users);
    await store.close();
    const fileBytes = fs.statSync(path.join(dir, 'users.db')).size;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'store-open-child.ts'), dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`store-open-child exited with ${code}: ${out}`);
    const { openMs, cpuMs, rssBytes, baselineBytes, docs } = JSON.parse(out) as { openMs: number; cpuMs: number; rssBytes: number; baselineBytes: number; docs: number };
    if (docs !== users) throw new Error(`the reopened store holds ${docs} users, not ${users}`);
    return { users, fileMB: fileBytes / 1e6, openMs, cpuMs, rssMB: rssBytes / 1e6, baselineRssMB: baselineBytes / 1e6, storeRssVsFile: (rssBytes - baselineBytes) / fileBytes };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The `npm run bench` part: prints both tables; its figures go into bench-results/<time>.json. */
export const storeScalingPart: BenchPart = {
  name: 'store-scaling',
  describe: 'point read by unique field at 100 vs N users, unindexed count at N/10 vs N, store start-up and RSS for N users',
  runByDefault: true,
  options: { 'store-users': { type: 'string', default: '100000' } },
  validate(values) {
    const n = Number(values['store-users']);
    if (!Number.isInteger(n) || n < 1000 || n > 10_000_000) throw new UsageError(`--store-users expects an integer from 1000 to 10000000; got ${JSON.stringify(values['store-users'])}`);
  },
  async run(values) {
    const users = Number(values['store-users']);
    const queries = await measureQueryScaling(users);
    const startup = await measureStartup(users);
    const at = (measure: string, docs: number) => queries.find((r) => r.measure.startsWith(measure) && r.docs === docs)!;
    section(`Store scaling (${users} users of ~300 bytes; through the real wx-server-sdk, in process)`, queries as unknown as Array<Record<string, unknown>>, [
      `point read p50 at ${users} vs 100 docs: ${(at('where({openid})', users).p50Ms / at('where({openid})', Math.min(100, users)).p50Ms).toFixed(2)}× (target ≤ 2)`,
      `unindexed count p50 at ${users} vs ${users / 10} docs: ${(at('where({nick_name})', users).p50Ms / at('where({nick_name})', users / 10).p50Ms).toFixed(2)}× for 10× the documents (linear ≈ 10)`,
    ]);
    section('Store start-up', [startup as unknown as Record<string, unknown>]);
    return { queries, startup };
  },
};
