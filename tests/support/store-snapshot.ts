// A copy of every collection of an in-process emulator's store, and a restore that puts the store
// back exactly so (collections created since are dropped): property cases that start from the same
// state, so a counterexample replays alone.
import type { DocumentStore } from '../../emulator/store/document-store';

export async function snapshotStore(store: DocumentStore): Promise<() => Promise<void>> {
  const saved = new Map<string, Array<Record<string, unknown>>>();
  for (const name of store.listCollections()) saved.set(name, structuredClone(await store.find(name, {})));
  return async () => {
    for (const name of store.listCollections()) if (!saved.has(name)) await store.dropCollection(name);
    for (const [name, docs] of saved) {
      await store.createCollection(name, true);
      await store.remove(name, {}, true);
      if (docs.length > 0) await store.insert(name, structuredClone(docs));
    }
  };
}
