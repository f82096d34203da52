// Opens a data folder's store in a process of its own and prints how long it took and the RSS
// after it (run by store-scaling.ts, so that the parent's heap does not count).
import { DocumentStore } from '../../emulator/store/document-store';
import { COLLECTION_SPECS } from '../../shared/db/collections';

async function main(): Promise<void> {
  const baselineBytes = process.memoryUsage().rss;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const store = await DocumentStore.open({ dir: process.argv[2] as string, collections: COLLECTION_SPECS });
  const openMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const docs = await store.count('users', {});
  console.log(JSON.stringify({ openMs, cpuMs, rssBytes: process.memoryUsage().rss, baselineBytes, docs }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
