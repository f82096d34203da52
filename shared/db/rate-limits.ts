// rate_limits: fixed-window counters shared by every function instance
// ({ _id: "<scope>:<key>:<window start>", count, expiresAt }), incremented atomically. The write
// that starts a window also removes every window that has ended, so the collection holds only
// live windows (one per key seen in the current window), however many keys come and go.
import type { Database } from '../platform';
import { COLLECTIONS } from './collections';
import { isDuplicateKeyError, updateAndReturn } from './db-helpers';
import { collection } from './typed-collection';

export function rateLimitsCollection(db: Database) {
  const coll = () => collection(db, COLLECTIONS.rateLimits.name);
  const _ = db.command;
  /** Removes the windows that ended by `now`. */
  const pruneExpired = async (now: Date): Promise<void> => {
    await coll().where({ expiresAt: _.lte(now) }).remove();
  };
  return {
    /** Count one hit in the current window and return the count after it. */
    async hit(bucket: string, windowEndsAt: Date, now: Date): Promise<number> {
      const after = await updateAndReturn<{ count: number }>(coll().where({ _id: bucket }), { count: _.inc(1) });
      if (after) return after.count;
      try {
        // In parallel: the new window's own document expires later than `now`, so it is never removed here.
        await Promise.all([coll().add({ data: { _id: bucket, count: 1, expiresAt: windowEndsAt } }), pruneExpired(now)]);
        return 1;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const retry = await updateAndReturn<{ count: number }>(coll().where({ _id: bucket }), { count: _.inc(1) });
        return retry?.count ?? 1;
      }
    },
    pruneExpired,
  };
}
