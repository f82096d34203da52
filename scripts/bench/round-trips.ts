// Database round trips per operation, counted by the emulator with 30 ms added to every database
// call, so that calls a function makes in parallel overlap (one round trip) and sequential ones do not.
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { benchBundles } from './bundles';
import { section } from './format';
import type { BenchPart } from './part';

async function call(emu: RunningEmulator, fn: string, event: unknown, openid?: string): Promise<unknown> {
  const res = await fetch(`${emu.url}/functions/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) }, body: JSON.stringify(event) });
  return ((await res.json()) as { result?: unknown }).result;
}

async function mintLoginCode(emu: RunningEmulator, openid: string): Promise<string> {
  const res = await fetch(`${emu.url}/_emulator/wechat/login-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid }) });
  if (res.status !== 200) throw new Error(`minting a login code answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { code: string }).code;
}

export const roundTripsPart: BenchPart = {
  name: 'round-trips',
  describe: 'database calls and sequential round trips per operation (30 ms simulated latency)',
  runByDefault: true,
  async run() {
    const emu = await startEmulator({ port: 0, inMemory: true, functionsDirs: [await benchBundles()], scheduleTimers: false, dbLatencyMs: 30 });
    try {
      const rows: Array<{ operation: string; dbCalls: number; roundTrips: number; target: string }> = [];
      const measure = async (operation: string, target: string, run: () => Promise<unknown>) => {
        await run();
        const r = emu.context.log.list().at(-1)!;
        rows.push({ operation, dbCalls: r.dbCalls, roundTrips: r.dbRoundTrips, target });
      };
      await call(emu, 'common', { name: 'login' }, 'o_bench_first'); // the very first user also creates the id counter
      await measure('common.login (new user)', '≤ 2', () => call(emu, 'common', { name: 'login' }, 'o_bench_new'));
      await measure('common.login (known user)', '≤ 1', () => call(emu, 'common', { name: 'login' }, 'o_bench_new'));
      await measure('user.addHistory', '1 atomic update', () => call(emu, 'user', { name: 'addHistory', hist: 'first search' }, 'o_bench_new'));
      await measure('user.get', '1', () => call(emu, 'user', { name: 'get' }, 'o_bench_new'));
      const login = async () => fetch(`${emu.url}/pb/api/wechat/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ users_wx_code: await mintLoginCode(emu, 'o_bench_new') }) }).then(async (r) => {
        if (r.status !== 200) throw new Error(`wechat login answered ${r.status}: ${await r.text()}`);
      });
      await login();
      await measure('wechat login (known user, HTTP)', 'exchange + ≤ 2', login);
      await measure('wechat users-count (HTTP)', '1', () => fetch(`${emu.url}/pb/api/system/users-count`, { method: 'POST' }));
      section('Database round trips per operation (counted by the emulator, 30 ms simulated latency)', rows);
      return rows;
    } finally {
      await emu.close();
    }
  },
};
