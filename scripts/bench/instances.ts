// How many concurrent instances per function serve best on this machine: one emulator per
// candidate limit (--max-instances), all warm, driven at 32 connections in interleaved rounds
// with a bare node http server run in each round. Prints the figures README quotes for the default.
import os from 'node:os';
import { startChildBareServer, startChildEmulator, type ChildServer } from './child-servers';
import { wholeNumber, wholeNumberList, section } from './format';
import { benchBundles } from './bundles';
import { BARE, functionTarget, runLoad, summarise, type LoadSample, type LoadTarget } from './load';
import type { BenchPart } from './part';

const OPENID = 'o_bench_instances';
const CONNECTIONS = 32;

export const instancesPart: BenchPart = {
  name: 'instances',
  describe: 'throughput and latency at 32 connections per instance limit (--instances 1,2,4,8,10)',
  runByDefault: true,
  options: { instances: { type: 'string', default: '1,2,4,8,10' } },
  validate(values) {
    wholeNumberList('instances', values.instances, 1, 100);
    wholeNumber('seconds', values.seconds ?? '3', 1, 600);
    wholeNumber('repeats', values.repeats ?? '3', 1, 100);
  },
  async run(values) {
    const limits = wholeNumberList('instances', values.instances, 1, 100);
    const seconds = wholeNumber('seconds', values.seconds ?? '3', 1, 600);
    const repeats = wholeNumber('repeats', values.repeats ?? '3', 1, 100);
    const emulators = new Map<number, ChildServer>();
    let bare: ChildServer | undefined;
    try {
      const functionsDir = await benchBundles();
      for (const n of limits) emulators.set(n, await startChildEmulator(functionsDir, { maxInstances: n }));
      const targets = (url: string): LoadTarget[] => [
        functionTarget(url, 'user.getHistory', 'user', { name: 'getHistory' }, OPENID),
        functionTarget(url, 'common.login (known)', 'common', { name: 'login' }, OPENID),
      ];
      for (const emu of emulators.values()) {
        const registered = await fetch(`${emu.url}/functions/common`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wx-openid': OPENID }, body: JSON.stringify({ name: 'login' }) });
        if (registered.status !== 200) throw new Error(`common.login answered ${registered.status}: ${await registered.text()}`);
        // Start every instance and let each one's JIT warm up: 3 s per operation, so that a larger
        // pool is not measured colder than a small one.
        for (const t of targets(emu.url)) await runLoad(t, CONNECTIONS, 3);
      }
      const first = targets(emulators.get(limits[0]!)!.url)[0]!;
      bare = await startChildBareServer(await fetch(first.url, { method: 'POST', headers: { 'content-type': 'application/json', ...first.headers }, body: first.body }).then((r) => r.text()));
      const samples: LoadSample[] = [];
      for (let round = 0; round < repeats; round++) {
        samples.push(await runLoad({ operation: BARE, url: bare.url, body: '{}', headers: {} }, CONNECTIONS, seconds, bare));
        // Each round starts at another limit, so that a drift in machine load does not favour one.
        const order = [...emulators].map((_, i, all) => all[(i + round) % all.length]!);
        for (const [n, emu] of order) {
          for (const t of targets(emu.url)) samples.push({ ...(await runLoad(t, CONNECTIONS, seconds, emu)), operation: `${t.operation}, max ${n} instance(s)` });
        }
      }
      const rows = summarise(samples);
      section(`Instances per function (${os.cpus().length} CPUs; ${CONNECTIONS} connections, ${seconds} s per run, ${repeats} interleaved rounds; rps and p99 with min–max over rounds; cpuMsPerReq = the emulator's CPU time per request, all its threads and instance processes)`, rows as unknown as Array<Record<string, unknown>>);
      return { limits, seconds, repeats, samples, rows };
    } finally {
      await bare?.stop();
      for (const emu of emulators.values()) await emu.stop();
    }
  },
};
