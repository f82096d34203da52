// HTTP round trip of wechat login for a known user, sequential: each request needs a fresh
// code, minted untimed. Rate limits are raised so that 200 logins are not refused.
import { benchBundles } from './bundles';
import { startChildEmulator } from './child-servers';
import { quantile, section } from './format';
import type { BenchPart } from './part';

const RUNS = 200;

export const loginLatencyPart: BenchPart = {
  name: 'login-latency',
  describe: `${RUNS} sequential wechat logins of a known user over HTTP`,
  runByDefault: true,
  async run() {
    const emu = await startChildEmulator(await benchBundles(), { functionEnv: { RATE_LIMIT_PER_CALLER: '100000', RATE_LIMIT_PER_IP: '100000' } });
    try {
      const mintCode = async () => ((await (await fetch(`${emu.url}/_emulator/wechat/login-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: 'o_bench_login' }) })).json()) as { code: string }).code;
      const samples: number[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const body = JSON.stringify({ users_wx_code: await mintCode() });
        const started = performance.now();
        const res = await fetch(`${emu.url}/pb/api/wechat/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.text();
        if (res.status !== 200) throw new Error(`login answered ${res.status}`);
        if (i > 0) samples.push(performance.now() - started); // the first one registers the user
      }
      const row = { operation: 'wechat login, known user (HTTP, sequential)', runs: RUNS, p50Ms: quantile(samples, 0.5), p99Ms: quantile(samples, 0.99) };
      section('Login latency', [row]);
      return row;
    } finally {
      await emu.stop();
    }
  },
};
