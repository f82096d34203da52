// backdb.createAllJob over 50+ small collections: how long starting every export takes and how
// many WeChat API calls it makes (with BACKUP_CONCURRENCY). Exports of real data volumes are
// timed by the scale part (--scale N).
import { startEmulator } from '../../emulator/server';
import { benchBundles } from './bundles';
import { section } from './format';
import type { BenchPart } from './part';

export const backupPart: BenchPart = {
  name: 'backup',
  describe: 'backdb.createAllJob over 50+ collections of one document each',
  runByDefault: true,
  async run() {
    const emu = await startEmulator({ port: 0, inMemory: true, functionsDirs: [await benchBundles()], scheduleTimers: false, exportJobDelayMs: 50 });
    try {
      for (let i = 0; i < 50; i++) {
        await emu.context.store.createCollection(`bench_c${i}`, true);
        await emu.context.store.insert(`bench_c${i}`, [{ i, name: `doc ${i}` }]);
      }
      emu.context.wechat.calls.clear();
      const started = performance.now();
      const res = await fetch(`${emu.url}/functions/backdb`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'createAllJob' }) });
      const result = ((await res.json()) as { result: { jobs: unknown[]; failed: unknown[] } }).result;
      const row = { collections: emu.context.store.listCollections().length, jobs: result.jobs.length, failed: result.failed.length, wallMs: performance.now() - started, wechatCalls: Object.fromEntries(emu.context.wechat.calls), concurrency: Number(process.env.BACKUP_CONCURRENCY ?? 5) };
      section('backdb.createAllJob over 50+ collections (starting the exports; one document each)', [row]);
      return row;
    } finally {
      await emu.close();
    }
  },
};
