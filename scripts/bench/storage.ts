// Storage throughput: a 50 MB file uploaded with the real wx-server-sdk (uploadFile of a read
// stream: getUploadMetadata, then a streamed PUT) and downloaded from its temporary URL (streamed
// to disk), next to a plain fs stream copy of the same file in the same run; the ratio
// (target ≥ 0.3×); and the peak RSS growth during the upload, sampled every 10 ms — of the bench
// process, which holds both the emulator and the SDK client, so it bounds what either keeps.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { startEmulator } from '../../emulator/server';
import type { BenchPart } from './part';
import { benchSdk } from './bench-sdk';

const SIZE = 50 * 1024 * 1024;
const RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

export const storagePart: BenchPart = {
  name: 'storage',
  describe: '50 MB upload and download through the real SDK vs a plain fs copy, and peak RSS during the upload',
  runByDefault: true,
  run: () => runStorageBench(),
};

async function runStorageBench(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-storage-'));
  const emu = await startEmulator({ port: 0, inMemory: true, functionsDirs: [], scheduleTimers: false });
  try {
    const source = path.join(dir, 'source.bin');
    const chunk = Buffer.alloc(1024 * 1024);
    await pipeline(Readable.from((function* () {
      for (let i = 0; i < SIZE / chunk.length; i++) yield chunk.fill(i % 251);
    })()), fs.createWriteStream(source));

    const cloud = benchSdk(emu.url, emu.context.envId, 120_000);
    await cloud.uploadFile({ cloudPath: 'bench/warm.bin', fileContent: Buffer.from('warm') });

    const copyMs: number[] = [];
    const uploadMs: number[] = [];
    const downloadMs: number[] = [];
    let peakRssGrowth = 0;
    for (let run = 0; run < RUNS; run++) {
      copyMs.push(await timed(() => pipeline(fs.createReadStream(source), fs.createWriteStream(path.join(dir, 'copy.bin')))));

      global.gc?.();
      const baseRss = process.memoryUsage().rss;
      let peak = baseRss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      let fileID = '';
      uploadMs.push(await timed(async () => ({ fileID } = await cloud.uploadFile({ cloudPath: 'bench/fifty.bin', fileContent: fs.createReadStream(source) }))));
      clearInterval(sampler);
      peakRssGrowth = Math.max(peakRssGrowth, peak - baseRss);

      const { fileList } = (await cloud.getTempFileURL({ fileList: [fileID] })) as unknown as { fileList: Array<{ tempFileURL: string }> };
      const url = fileList[0]!.tempFileURL;
      downloadMs.push(await timed(async () => {
        const res = await fetch(url);
        if (res.status !== 200 || !res.body) throw new Error(`download answered ${res.status}`);
        await pipeline(Readable.fromWeb(res.body as never), fs.createWriteStream(path.join(dir, 'down.bin')));
      }));
      if (fs.statSync(path.join(dir, 'down.bin')).size !== SIZE) throw new Error('downloaded size differs');
    }
    const mbps = (ms: number) => SIZE / 1024 / 1024 / (ms / 1000);
    const copy = mbps(median(copyMs));
    const rows = [
      { operation: 'fs stream copy (baseline)', medianMs: median(copyMs), MBps: copy, 'vs fs copy (≥0.30)': 1 },
      { operation: 'SDK uploadFile (50 MB stream)', medianMs: median(uploadMs), MBps: mbps(median(uploadMs)), 'vs fs copy (≥0.30)': mbps(median(uploadMs)) / copy },
      { operation: 'GET temporary URL (50 MB)', medianMs: median(downloadMs), MBps: mbps(median(downloadMs)), 'vs fs copy (≥0.30)': mbps(median(downloadMs)) / copy },
    ];
    const result = { sizeBytes: SIZE, runs: RUNS, rows, peakRssGrowthDuringUploadMiB: peakRssGrowth / 1024 / 1024 };
    console.log(`\n== Cloud storage: 50 MB upload/download vs a plain fs copy (median of ${RUNS}) ==`);
    const fmt = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v));
    const keys = Object.keys(rows[0]!);
    const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => fmt((r as Record<string, unknown>)[k]).length)));
    for (const cells of [keys, widths.map((w) => '-'.repeat(w)), ...rows.map((r) => keys.map((k) => fmt((r as Record<string, unknown>)[k])))]) console.log(cells.map((c, i) => c.padEnd(widths[i]!)).join('  '));
    console.log(`peak RSS growth during an upload (bench process: emulator + SDK client): ${result.peakRssGrowthDuringUploadMiB.toFixed(1)} MiB for a ${SIZE / 1024 / 1024} MiB file`);
    return result;
  } finally {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
