// Users for the scale bench, about 300 bytes each as the store writes them, inserted through the
// store's public API in batches, as a team loading production-sized data would have them.
import { DocumentStore } from '../../emulator/store/document-store';
import { COLLECTIONS, COLLECTION_SPECS } from '../../shared/db/collections';

const BATCH = 1000;

/** Openid of seeded user i: 28 characters, like WeChat's. */
export const scaleOpenid = (i: number) => `o_scale_${String(i).padStart(20, '0')}`;

function user(i: number, now: Date): Record<string, unknown> {
  return {
    openid: scaleOpenid(i),
    id: i + 1,
    nickname: `user ${i}`,
    avatar: `https://thirdwx.qlogo.cn/mmopen/vi_32/${String(i).padStart(12, '0')}/132`,
    gender: i % 3,
    roles: [],
    history: [`search ${i % 97}`, `search ${i % 89}`],
    tokenVersion: 0,
    status: 'active',
    createdAt: now,
    updatedAt: now,
  };
}

/** Writes n users (and the users id counter) into the data folder's db/; returns the time it took. */
export async function seedUsers(dbDir: string, n: number, onProgress?: (done: number) => void): Promise<number> {
  const started = performance.now();
  const store = await DocumentStore.open({ dir: dbDir, collections: COLLECTION_SPECS });
  try {
    const now = new Date();
    for (let from = 0; from < n; from += BATCH) {
      const docs = Array.from({ length: Math.min(BATCH, n - from) }, (_, k) => user(from + k, now));
      await store.insert(COLLECTIONS.users.name, docs);
      if ((from / BATCH) % 50 === 0) onProgress?.(from + docs.length);
    }
    await store.insert(COLLECTIONS.counters.name, [{ _id: 'users', value: n }]);
  } finally {
    await store.close();
  }
  return performance.now() - started;
}
