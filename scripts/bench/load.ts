// Warm latency and throughput (autocannon) through the emulator, each operation at 1 and 32
// connections, against a bare Node http server answering the same bytes. Bare and emulator runs
// interleave round by round (--repeats rounds, default 3), so machine noise hits both alike; the
// table gives medians and the min–max spread over the rounds.
import autocannon from 'autocannon';
import { benchBundles } from './bundles';
import { startChildBareServer, startChildEmulator, type ChildServer } from './child-servers';
import { median, section, spread, wholeNumber } from './format';
import type { BenchPart } from './part';

export const CONNECTIONS = [1, 32] as const;

export interface LoadSample { operation: string; connections: number; p50Ms: number; p99Ms: number; rps: number; errors: number; serverCpuMsPerRequest?: number }

export interface LoadTarget { operation: string; url: string; body: string; headers: Record<string, string> }

/** One run; with `server`, also the server process's CPU time per request (less sensitive to other load on the machine than req/s). */
export async function runLoad(target: LoadTarget, connections: number, seconds: number, server?: ChildServer): Promise<LoadSample> {
  const cpuBefore = server?.cpuMs();
  const result = await autocannon({ url: target.url, method: 'POST', body: target.body, headers: { 'content-type': 'application/json', ...target.headers }, connections, duration: seconds });
  const serverCpuMsPerRequest = server && cpuBefore !== undefined ? (server.cpuMs() - cpuBefore) / Math.max(1, result.requests.total) : undefined;
  return { operation: target.operation, connections, p50Ms: result.latency.p50, p99Ms: result.latency.p99, rps: result.requests.average, errors: result.errors + result.non2xx + result.timeouts, serverCpuMsPerRequest };
}

export interface LoadSummary { operation: string; connections: number; runs: number; rps: number; rpsSpread: string; p50Ms: number; p99Ms: number; p99Spread: string; cpuMsPerReq?: number; cpuSpread?: string; errors: number }

/** Median and min–max over the repeats of each operation × connections. */
export function summarise(samples: LoadSample[]): LoadSummary[] {
  const groups = new Map<string, LoadSample[]>();
  for (const s of samples) groups.set(`${s.operation}\u0000${s.connections}`, [...(groups.get(`${s.operation}\u0000${s.connections}`) ?? []), s]);
  return [...groups.values()].map((g) => ({
    operation: g[0]!.operation,
    connections: g[0]!.connections,
    runs: g.length,
    rps: Math.round(median(g.map((s) => s.rps))),
    rpsSpread: spread(g.map((s) => s.rps)),
    p50Ms: median(g.map((s) => s.p50Ms)),
    p99Ms: median(g.map((s) => s.p99Ms)),
    p99Spread: spread(g.map((s) => s.p99Ms)),
    cpuMsPerReq: g[0]!.serverCpuMsPerRequest === undefined ? undefined : median(g.map((s) => s.serverCpuMsPerRequest!)),
    cpuSpread: g[0]!.serverCpuMsPerRequest === undefined ? undefined : spread(g.map((s) => s.serverCpuMsPerRequest!), 2),
    errors: g.reduce((n, s) => n + s.errors, 0),
  }));
}

const WARM_UP_CALLS = 3000;

async function warmUp(target: LoadTarget): Promise<void> {
  await runLoad(target, 32, 1);
  await autocannon({ url: target.url, method: 'POST', body: target.body, headers: { 'content-type': 'application/json', ...target.headers }, connections: 1, amount: WARM_UP_CALLS });
}

export const functionTarget = (url: string, operation: string, fn: string, event: unknown, openid?: string): LoadTarget => ({ operation, url: `${url}/functions/${fn}`, body: JSON.stringify(event), headers: openid ? { 'x-wx-openid': openid } : {} });

const OPENID = 'o_bench_load';

function targetsFor(url: string): LoadTarget[] {
  return [
    functionTarget(url, 'user.get', 'user', { name: 'get' }, OPENID),
    functionTarget(url, 'common.login (known)', 'common', { name: 'login' }, OPENID),
    functionTarget(url, 'common.auth', 'common', { name: 'auth' }, OPENID),
    functionTarget(url, 'user.addHistory', 'user', { name: 'addHistory', hist: 'load' }, OPENID),
    functionTarget(url, 'user.getHistory', 'user', { name: 'getHistory' }, OPENID),
    functionTarget(url, 'wechat.usersCount (callFunction)', 'wechat', { name: 'usersCount' }, OPENID),
    { operation: 'wechat users-count (HTTP)', url: `${url}/pb/api/system/users-count`, body: '', headers: {} },
  ];
}

export const BARE = 'bare node http (same bytes as user.get)';

export const loadPart: BenchPart = {
  name: 'load',
  describe: 'warm p50/p99 and req/s at 1 and 32 connections, interleaved with a bare node http server',
  runByDefault: true,
  options: { seconds: { type: 'string', default: '3' }, repeats: { type: 'string', default: '3' }, quick: { type: 'boolean', default: false } },
  validate(values) {
    wholeNumber('seconds', values.seconds, 1, 600);
    wholeNumber('repeats', values.repeats, 1, 100);
  },
  async run(values) {
    const seconds = wholeNumber('seconds', values.seconds, 1, 600);
    const repeats = wholeNumber('repeats', values.repeats, 1, 100);
    const emu = await startChildEmulator(await benchBundles());
    try {
      await fetch(`${emu.url}/functions/common`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wx-openid': OPENID }, body: JSON.stringify({ name: 'login' }) }).then((r) => r.text());
      const all = targetsFor(emu.url);
      const targets = values.quick ? all.slice(0, 2) : all;
      // Warm every function's instances first so that no measured run pays their cold starts, nor
      // V8's tiering up: a second of 32 connections starts every instance, then WARM_UP_CALLS
      // sequential calls (per-call CPU settled after about 2,000 on this machine).
      for (const t of targets) await warmUp(t);
      const sampleBytes = await fetch(targets[0]!.url, { method: 'POST', headers: { 'content-type': 'application/json', ...targets[0]!.headers }, body: targets[0]!.body }).then((r) => r.text());
      const bare = await startChildBareServer(sampleBytes);
      const samples: LoadSample[] = [];
      try {
        const bareTarget: LoadTarget = { operation: BARE, url: bare.url, body: '{}', headers: {} };
        await runLoad(bareTarget, 32, 1);
        for (let round = 0; round < repeats; round++) {
          for (const c of CONNECTIONS) {
            samples.push(await runLoad(bareTarget, c, seconds, bare));
            for (const t of targets) samples.push(await runLoad(t, c, seconds, emu));
          }
        }
      } finally {
        await bare.stop();
      }
      const rows = summarise(samples);
      const ratios = CONNECTIONS.map((c) => {
        const per = (op: string) => samples.filter((s) => s.operation === op && s.connections === c).map((s) => s.rps);
        const bareRps = per(BARE);
        const getRps = per('user.get');
        const r = getRps.map((v, i) => v / bareRps[i]!);
        return `user.get vs bare node http at ${c} connection(s), req/s ratio per round: median ${median(r).toFixed(3)}× (${spread(r, 3)})`;
      });
      // The machine's own cost of an HTTP request moves from hour to hour (more than twofold on one
      // day here); user.get's CPU in units of the bare server's, round by round, moves far less.
      for (const c of CONNECTIONS) {
        const cpu = (op: string) => samples.filter((s) => s.operation === op && s.connections === c).map((s) => s.serverCpuMsPerRequest);
        const bareCpu = cpu(BARE);
        const r = cpu('user.get').flatMap((v, i) => (v !== undefined && bareCpu[i] ? [v / bareCpu[i]] : []));
        if (r.length) ratios.push(`user.get vs bare node http at ${c} connection(s), server CPU per request ratio per round: median ${median(r).toFixed(1)}× (${spread(r, 1)})`);
      }
      section(`Warm latency and throughput (autocannon, ${seconds} s per run after a warm-up of ${WARM_UP_CALLS} calls per operation, ${repeats} interleaved rounds; emulator and bare server each in their own process; rps, p99 and cpuMsPerReq with min–max over rounds; cpuMsPerReq = the server's CPU time per request, its instance processes included)`, rows as unknown as Array<Record<string, unknown>>, ratios);
      return { seconds, repeats, samples, rows, ratios };
    } finally {
      await emu.stop();
    }
  },
};
