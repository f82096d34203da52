// Start to answering: `npm start`'s emulator (the prebuilt bundle, dist/emulator/cli.js) against
// `tsx emulator/cli.ts` (TypeScript compiled at start), interleaved round by round. Wall time from
// spawn until GET /_emulator/functions answers 200, and the CPU time the emulator's processes had
// used by then (less sensitive to other load on the machine than wall time).
import { buildEmulator } from '../lib/build-emulator';
import { benchBundles } from './bundles';
import { startChildEmulator } from './child-servers';
import { median, section, spread, wholeNumber } from './format';
import type { BenchPart } from './part';

async function once(entry: 'bundle' | 'tsx', functionsDir: string): Promise<{ wallMs: number; cpuMs: number }> {
  const started = performance.now();
  const emu = await startChildEmulator(functionsDir, { entry });
  try {
    const res = await fetch(`${emu.url}/_emulator/functions`);
    await res.text();
    if (res.status !== 200) throw new Error(`GET /_emulator/functions answered ${res.status}`);
    return { wallMs: performance.now() - started, cpuMs: emu.cpuMs() };
  } finally {
    await emu.stop();
  }
}

export const startUpPart: BenchPart = {
  name: 'start-up',
  describe: 'emulator start to answering: prebuilt bundle (npm start) vs tsx emulator/cli.ts',
  runByDefault: true,
  options: { 'start-rounds': { type: 'string', default: '5' } },
  validate(values) {
    wholeNumber('start-rounds', values['start-rounds'], 1, 100);
  },
  async run(values) {
    const rounds = wholeNumber('start-rounds', values['start-rounds'], 1, 100);
    const [functionsDir] = await Promise.all([benchBundles(), buildEmulator()]);
    const samples: Record<'bundle' | 'tsx', Array<{ wallMs: number; cpuMs: number }>> = { bundle: [], tsx: [] };
    for (let i = 0; i < rounds; i++) for (const entry of ['tsx', 'bundle'] as const) samples[entry].push(await once(entry, functionsDir));
    const rows = (['tsx', 'bundle'] as const).map((entry) => ({
      entry: entry === 'bundle' ? 'node dist/emulator/cli.js (npm start)' : 'node --import tsx emulator/cli.ts',
      rounds,
      wallMs: Math.round(median(samples[entry].map((s) => s.wallMs))),
      wallSpread: spread(samples[entry].map((s) => s.wallMs)),
      cpuMs: Math.round(median(samples[entry].map((s) => s.cpuMs))),
      cpuSpread: spread(samples[entry].map((s) => s.cpuMs)),
    }));
    section(`Emulator start to answering (${rounds} interleaved rounds, in-memory, 4 functions; median and min–max; cpuMs = the emulator's processes' CPU time until it answered)`, rows);
    return { rounds, samples, rows };
  },
};
