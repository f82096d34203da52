// A copy of every collection of an in-process emulator's store, and a restore that puts the store
// back exactly so (collections created since are dropped): property cases that start from the same
// state, so a counterexample replays alone. A collection whose stored documents are byte for byte
// those the last restore left (in the same order) is the same collection, and is left alone.
import type { DocumentStore } from '../../emulator/store/document-store';

const sameLines = (a: Buffer[], b: Buffer[] | undefined) => b !== undefined && a.length === b.length && a.every((line, i) => line.equals(b[i] as Buffer));

export async function snapshotStore(store: DocumentStore): Promise<() => Promise<void>> {
  const saved = new Map<string, Array<Record<string, unknown>>>();
  const restored = new Map<string, Buffer[]>();
  for (const name of store.listCollections()) {
    saved.set(name, structuredClone(await store.find(name, {})));
    restored.set(name, store.storedLinesNow(name));
  }
  return async () => {
    for (const name of store.listCollections()) if (!saved.has(name)) await store.dropCollection(name);
    for (const [name, docs] of saved) {
      if (store.hasCollection(name) && sameLines(store.storedLinesNow(name), restored.get(name))) continue;
      await store.createCollection(name, true);
      await store.remove(name, {}, true);
      if (docs.length > 0) await store.insert(name, structuredClone(docs));
      restored.set(name, store.storedLinesNow(name));
    }
  };
}
