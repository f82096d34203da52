// What process instances (the default: each function instance a child process on its runtime's
// Node.js, as on CloudBase) cost next to worker threads (`--runtime host`), in one run, side by
// side: the cold start of an instance, warm per-call latency (1 connection), req/s (32
// connections) and CPU per call (the emulator and its instance processes). Cold starts are taken
// in this process (a new instance is forced by redeploying the same code, what a hot redeploy
// does); the load runs hit an emulator in a process of its own per mode, in interleaved rounds.
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import type { RuntimeMode } from '../../emulator/runner/instance-placement';
import { benchBundles } from './bundles';
import { startChildEmulator, type ChildServer } from './child-servers';
import { median, quantile, section, spread, wholeNumber } from './format';
import { functionTarget, runLoad, type LoadSample } from './load';
import type { BenchPart } from './part';

const OPENID = 'o_bench_runtime_modes';
const MODES: RuntimeMode[] = ['declared', 'host'];
const label = (mode: RuntimeMode) => (mode === 'declared' ? 'process on the runtime Node.js (default)' : 'worker thread on the host Node.js (--runtime host)');

async function coldStarts(functionsDir: string, rounds: number): Promise<Array<{ mode: RuntimeMode; coldStartMs: number; firstCallMs: number }>> {
  const emulators = new Map<RuntimeMode, RunningEmulator>();
  const out: Array<{ mode: RuntimeMode; coldStartMs: number; firstCallMs: number }> = [];
  try {
    for (const mode of MODES) emulators.set(mode, await startEmulator({ port: 0, inMemory: true, scheduleTimers: false, functionsDirs: [functionsDir], runtime: mode }));
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 ? [...MODES].reverse() : MODES) {
        const runner = emulators.get(mode)!.context.runner;
        runner.install(runner.definition('user')!);
        const outcome = await runner.invoke('user', { name: 'getHistory' }, { openid: OPENID, appid: runner.miniProgramAppid(), source: 'wx_client' });
        if (!outcome.ok || outcome.coldStartMs === undefined) throw new Error(`user.getHistory on a new ${mode} instance: ${outcome.ok ? 'no cold start recorded' : outcome.message}`);
        out.push({ mode, coldStartMs: outcome.coldStartMs, firstCallMs: outcome.durationMs });
      }
    }
    return out;
  } finally {
    for (const emu of emulators.values()) await emu.close();
  }
}

export const runtimeModesPart: BenchPart = {
  name: 'runtime-modes',
  describe: 'process instances on the runtime Node.js vs worker threads (--runtime host): cold start, warm latency, req/s, CPU per call',
  runByDefault: true,
  options: { 'cold-starts': { type: 'string', default: '10' } },
  validate(values) {
    wholeNumber('cold-starts', values['cold-starts'], 1, 200);
    wholeNumber('seconds', values.seconds ?? '3', 1, 600);
    wholeNumber('repeats', values.repeats ?? '3', 1, 100);
  },
  async run(values) {
    const rounds = wholeNumber('cold-starts', values['cold-starts'], 1, 200);
    const seconds = wholeNumber('seconds', values.seconds ?? '3', 1, 600);
    const repeats = wholeNumber('repeats', values.repeats ?? '3', 1, 100);
    const functionsDir = await benchBundles();
    const cold = await coldStarts(functionsDir, rounds);

    const servers = new Map<RuntimeMode, ChildServer>();
    const samples: Array<LoadSample & { mode: RuntimeMode }> = [];
    try {
      for (const mode of MODES) servers.set(mode, await startChildEmulator(functionsDir, { runtime: mode }));
      for (const [mode, server] of servers) {
        const target = functionTarget(server.url, 'user.getHistory', 'user', { name: 'getHistory' }, OPENID);
        // Start both instances and warm their JIT before anything is measured.
        const warm = await runLoad(target, 32, 3);
        if (warm.errors) throw new Error(`${mode}: warm-up had ${warm.errors} failed calls`);
      }
      for (let round = 0; round < repeats; round++) {
        for (const mode of round % 2 ? [...MODES].reverse() : MODES) {
          const server = servers.get(mode)!;
          const target = functionTarget(server.url, 'user.getHistory', 'user', { name: 'getHistory' }, OPENID);
          for (const connections of [1, 32]) samples.push({ ...(await runLoad(target, connections, seconds, server)), mode });
        }
      }
    } finally {
      for (const server of servers.values()) await server.stop();
    }

    const rows = MODES.map((mode) => {
      const c = cold.filter((s) => s.mode === mode);
      const one = samples.filter((s) => s.mode === mode && s.connections === 1);
      const many = samples.filter((s) => s.mode === mode && s.connections === 32);
      return {
        instance: label(mode),
        coldStartMs: median(c.map((s) => s.coldStartMs)),
        coldSpread: spread(c.map((s) => s.coldStartMs)),
        firstCallMs: median(c.map((s) => s.firstCallMs)),
        warmP50Ms: median(one.map((s) => s.p50Ms)),
        warmP99Ms: median(one.map((s) => s.p99Ms)),
        rps1: Math.round(median(one.map((s) => s.rps))),
        rps32: Math.round(median(many.map((s) => s.rps))),
        rps32Spread: spread(many.map((s) => s.rps)),
        cpuMsPerCall: median(many.map((s) => s.serverCpuMsPerRequest ?? NaN)),
        errors: [...one, ...many].reduce((n, s) => n + s.errors, 0),
      };
    });
    section(
      `Instance modes (user.getHistory; cold start: ${rounds} new instances per mode, in this process, spawn to bundle loaded; load: ${seconds} s runs at 1 and 32 connections, ${repeats} interleaved rounds, default 2 instances; cpuMsPerCall = the emulator's CPU and its instance processes' per call at 32 connections)`,
      rows,
      [`cold start p90: ${MODES.map((m) => `${m} ${quantile(cold.filter((s) => s.mode === m).map((s) => s.coldStartMs), 0.9).toFixed(0)} ms`).join(', ')}`],
    );
    return { rounds, seconds, repeats, cold, samples, rows };
  },
};
