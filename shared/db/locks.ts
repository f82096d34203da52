// locks: short per-key mutual exclusion across function instances ({ _id: key, expiresAt }).
// The document id is unique, so only one holder can create it; an expired lock (its holder died)
// may be taken over.
import type { Database } from '../platform';
import { AppError } from '../errors/app-error';
import { COLLECTIONS } from './collections';
import { isDuplicateKeyError } from './db-helpers';
import { collection } from './typed-collection';

const HOLD_MS = 10_000;
const ATTEMPTS = 60;

export function locksCollection(db: Database, now: () => Date) {
  const coll = () => collection(db, COLLECTIONS.locks.name);
  const _ = db.command;
  return {
    async withLock<T>(key: string, run: () => Promise<T>): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        try {
          await coll().add({ data: { _id: key, expiresAt: new Date(now().getTime() + HOLD_MS) } });
          break;
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
          if (attempt >= ATTEMPTS) throw new AppError('INTERNAL', `lock ${key} stayed busy`);
          await coll().where({ _id: key, expiresAt: _.lt(now()) }).remove();
          await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
        }
      }
      try {
        return await run();
      } finally {
        await coll().doc(key).remove();
      }
    },
  };
}
