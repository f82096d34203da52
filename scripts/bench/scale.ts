// `--scale N`: seed N users (about 300 bytes each) into a fresh data folder through the store's
// public API, start the emulator on it as `npm start` does, and measure what a team loading
// production-sized data meets: start-up until it answers, RSS, point reads through the real SDK,
// users-count over HTTP, an export of `users` through backdb (createJob, then getJobUrl polled as
// a client would) and common.login latency while that export runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchBundles } from './bundles';
import { startChildEmulator, type ChildServer } from './child-servers';
import { quantile, section, UsageError, wholeNumber } from './format';
import type { BenchPart } from './part';
import { scaleOpenid, seedUsers } from './seed-users';
import { benchSdk } from './bench-sdk';

export const MAX_SCALE = 10_000_000;
const POINT_READS = 200;
const COUNTS = 50;
const LOGIN_LOOPS = 2;
/** Idle time after the export before RSS is read again (the file is downloaded only after that). */
const SETTLE_MS = 3000;
/** Rate limits raised so that the bench's own calls are never refused. */
const BENCH_ENV = { RATE_LIMIT_PER_CALLER: '1000000', RATE_LIMIT_PER_IP: '1000000' };

const pick = (n: number) => scaleOpenid(Math.floor(Math.random() * n));

function dirBytes(dir: string): number {
  return fs.readdirSync(dir, { recursive: true }).map(String).reduce((sum, f) => {
    const stat = fs.statSync(path.join(dir, f));
    return sum + (stat.isFile() ? stat.size : 0);
  }, 0);
}

/** Spawn to the first answered request (GET /), not just to the listening line. */
async function startTimed(functionsDir: string, dataDir: string): Promise<{ emu: ChildServer; startupMs: number }> {
  const started = performance.now();
  const emu = await startChildEmulator(functionsDir, { dataDir, functionEnv: BENCH_ENV });
  for (;;) {
    const ok = await fetch(`${emu.url}/`).then((r) => r.ok, () => false);
    if (ok) return { emu, startupMs: performance.now() - started };
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function callFn(url: string, fn: string, event: unknown, openid?: string): Promise<{ status: number; body: { result?: unknown; errCode?: number; errMsg?: string } }> {
  const res = await fetch(`${url}/functions/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) }, body: JSON.stringify(event) });
  return { status: res.status, body: (await res.json()) as { result?: unknown } };
}

/**
 * COUNTS sequential users-count calls over HTTP after one untimed call (the wechat instance's cold
 * start): the same procedure on the empty folder and on N users, so that what scale itself costs
 * shows beside what this machine's latency right after a start is.
 */
async function usersCounts(url: string, expected: number): Promise<number[]> {
  const count = () => fetch(`${url}/pb/api/system/users-count`, { method: 'POST' }).then((r) => r.json() as Promise<{ data?: { total_users?: number } }>);
  await count();
  const counts: number[] = [];
  for (let i = 0; i < COUNTS; i++) {
    const res = await timed(counts, count);
    if (res.data?.total_users !== expected) throw new Error(`users-count answered ${JSON.stringify(res)}, expected ${expected}`);
  }
  return counts;
}

/** The real wx-server-sdk in this process, pointed at the emulator's CloudBase API. */
function sdkFor(url: string) {
  return benchSdk(url, 'local-env', 60_000).database();
}

async function timed<T>(samples: number[], run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  samples.push(performance.now() - started);
  return result;
}

async function exportUsers(url: string, n: number, rssMiB: () => number) {
  const logins: number[] = [];
  let loginFailures = 0;
  let exporting = true;
  const loginLoop = async () => {
    while (exporting) {
      const res = await timed(logins, () => callFn(url, 'common', { name: 'login' }, pick(n)));
      if (res.status !== 200) loginFailures++;
    }
  };
  const loops = Array.from({ length: LOGIN_LOOPS }, loginLoop);
  const started = performance.now();
  let fileUrl: string | undefined;
  const polls: number[] = [];
  let pollFailures = 0;
  let lastFailure = '';
  let peakRssMiB = rssMiB();
  try {
    const created = await callFn(url, 'backdb', { name: 'createJob', collection: 'users' });
    const job = created.body.result as { job_id?: number } | undefined;
    if (created.status !== 200 || !job?.job_id) throw new Error(`backdb.createJob failed: ${JSON.stringify(created.body)}`);
    while (!fileUrl) {
      const res = await timed(polls, () => callFn(url, 'backdb', { name: 'getJobUrl', job_id: job.job_id }));
      if (res.status === 200 && typeof res.body.result === 'string') fileUrl = res.body.result;
      else if (!String(res.body.errMsg ?? '').includes('JOB_NOT_READY:')) {
        pollFailures++;
        lastFailure = `${res.status} ${JSON.stringify(res.body)}`;
      }
      if (pollFailures > 20) throw new Error(`export status polls keep failing: ${lastFailure}`);
      peakRssMiB = Math.max(peakRssMiB, rssMiB());
      if (!fileUrl) await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    exporting = false;
    await Promise.all(loops);
  }
  const exportMs = performance.now() - started;
  return { fileUrl, exportMs, peakRssMiB, slowestPollMs: Math.max(...polls), polls: polls.length, pollFailures, lastFailure, logins, loginFailures };
}

/** The export file's line count, read as a stream (the bench holds no copy of it). */
async function countLines(fileUrl: string): Promise<number> {
  const res = await fetch(fileUrl);
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) for (const byte of chunk) if (byte === 0x0a) lines++;
  return lines;
}

export const scalePart: BenchPart = {
  name: 'scale',
  describe: 'with --scale N: seed N users, then start-up, RSS, point read, count, export and login-during-export figures',
  runByDefault: false,
  options: { scale: { type: 'string' } },
  validate(values) {
    if (values.scale === undefined) throw new UsageError('the scale part needs --scale N (the number of users to seed)');
    wholeNumber('scale', values.scale, 1, MAX_SCALE);
  },
  async run(values) {
    const n = wholeNumber('scale', values.scale, 1, MAX_SCALE);
    const functionsDir = await benchBundles();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudbase-bench-scale-'));
    try {
      const empty = await startTimed(functionsDir, path.join(root, 'empty'));
      const emptyRow = { startupMs: empty.startupMs, rssMiB: empty.emu.rssMiB() };
      const emptyCounts = await usersCounts(empty.emu.url, 0).finally(() => empty.emu.stop());

      const dataDir = path.join(root, 'data');
      console.log(`seeding ${n} users into ${dataDir} ...`);
      const seedMs = await seedUsers(path.join(dataDir, 'db'), n, (done) => process.stdout.write(`\r  ${done}/${n}`));
      process.stdout.write('\n');
      const dataMiB = dirBytes(path.join(dataDir, 'db')) / 2 ** 20;

      const { emu, startupMs } = await startTimed(functionsDir, dataDir);
      try {
        const rssAfterStart = emu.rssMiB();
        // First after the start, as on the empty folder: nothing else has warmed the emulator yet.
        const counts = await usersCounts(emu.url, n);
        const db = sdkFor(emu.url);
        // One untimed call first: the SDK's connection is not what is measured.
        await db.collection('users').where({ openid: pick(n) }).get();
        const reads: number[] = [];
        for (let i = 0; i < POINT_READS; i++) {
          const openid = pick(n);
          const { data } = await timed(reads, () => db.collection('users').where({ openid }).get() as Promise<{ data: unknown[] }>);
          if (data.length !== 1 || (data[0] as { openid?: string }).openid !== openid) throw new Error(`point read for ${openid} answered ${JSON.stringify(data)}`);
        }
        // Start the instances the export uses before measuring RSS, so the difference is the export's.
        await Promise.all(Array.from({ length: LOGIN_LOOPS }, () => callFn(emu.url, 'common', { name: 'login' }, pick(n))));
        await callFn(emu.url, 'backdb', { name: 'listJobs' });
        const rssBeforeExport = emu.rssMiB();
        const exp = await exportUsers(emu.url, n, () => emu.rssMiB());
        const rssAfterExport = emu.rssMiB();
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const rssSettled = emu.rssMiB();
        const lines = await countLines(exp.fileUrl);
        if (lines !== n) throw new Error(`the export holds ${lines} documents, expected ${n}`);
        const rows = [
          { figure: 'seed (store API, batches of 1000)', value: `${(seedMs / 1000).toFixed(1)} s`, note: `${dataMiB.toFixed(1)} MiB on disk` },
          { figure: 'start-up until it answers, empty data folder', value: `${emptyRow.startupMs.toFixed(0)} ms`, note: `RSS ${emptyRow.rssMiB.toFixed(0)} MiB (node + the emulator bundle, as npm start)` },
          { figure: `start-up until it answers, ${n} users`, value: `${startupMs.toFixed(0)} ms`, note: 'spawn to the first answered GET /' },
          { figure: 'RSS after start', value: `${rssAfterStart.toFixed(0)} MiB`, note: `${(rssAfterStart / dataMiB).toFixed(2)}× the data on disk` },
          { figure: `point read where({openid}).get() (real SDK, ${POINT_READS} sequential)`, value: `p50 ${quantile(reads, 0.5).toFixed(2)} ms`, note: `p99 ${quantile(reads, 0.99).toFixed(2)} ms` },
          { figure: `wechat users-count over HTTP (${COUNTS} sequential, right after the start)`, value: `p50 ${quantile(counts, 0.5).toFixed(2)} ms`, note: `p99 ${quantile(counts, 0.99).toFixed(2)} ms; on the empty folder, the same way: p50 ${quantile(emptyCounts, 0.5).toFixed(2)} ms, p99 ${quantile(emptyCounts, 0.99).toFixed(2)} ms (${(quantile(counts, 0.5) / quantile(emptyCounts, 0.5)).toFixed(2)}× at p50)` },
          { figure: 'export of users (backdb createJob → getJobUrl answers a URL)', value: `${(exp.exportMs / 1000).toFixed(2)} s`, note: `includes the emulator's 300 ms job delay; slowest status poll ${exp.slowestPollMs.toFixed(0)} ms; ${exp.polls} polls, ${exp.pollFailures} failed${exp.lastFailure ? ` (last: ${exp.lastFailure.slice(0, 160)})` : ''}; file holds ${lines} documents` },
          { figure: `common.login during the export (${LOGIN_LOOPS} sequential loops)`, value: `p99 ${quantile(exp.logins, 0.99).toFixed(1)} ms`, note: `p50 ${quantile(exp.logins, 0.5).toFixed(1)} ms, max ${Math.max(...exp.logins).toFixed(0)} ms, ${exp.logins.length} calls, ${exp.loginFailures} failed` },
          { figure: 'RSS after the export', value: `${rssAfterExport.toFixed(0)} MiB`, note: `before it: ${rssBeforeExport.toFixed(0)} MiB; highest seen while it ran: ${exp.peakRssMiB.toFixed(0)} MiB; ${SETTLE_MS / 1000} s later: ${rssSettled.toFixed(0)} MiB` },
        ];
        section(`Scale: ${n} users (${os.cpus().length} CPUs)`, rows);
        return { n, seedMs, dataMiB, empty: { ...emptyRow, counts: emptyCounts }, startupMs, rssAfterStart, reads, counts, rssBeforeExport, rssAfterExport, rssSettled, export: { ...exp, lines, logins: undefined, loginP50: quantile(exp.logins, 0.5), loginP99: quantile(exp.logins, 0.99) } };
      } finally {
        await emu.stop();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
};
