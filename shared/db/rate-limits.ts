// rate_limits: fixed-window counters shared by every function instance
// ({ _id: "<scope>:<key>:<window start>", count, expiresAt }), incremented atomically.
import type { Database } from '../platform';
import { COLLECTIONS } from './collections';
import { isDuplicateKeyError, updateAndReturn } from './db-helpers';
import { collection } from './typed-collection';

export function rateLimitsCollection(db: Database) {
  const coll = () => collection(db, COLLECTIONS.rateLimits.name);
  const _ = db.command;
  return {
    /** Count one hit in the current window and return the count after it. */
    async hit(bucket: string, windowEndsAt: Date): Promise<number> {
      const after = await updateAndReturn<{ count: number }>(coll().where({ _id: bucket }), { count: _.inc(1) });
      if (after) return after.count;
      try {
        await coll().add({ data: { _id: bucket, count: 1, expiresAt: windowEndsAt } });
        return 1;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const retry = await updateAndReturn<{ count: number }>(coll().where({ _id: bucket }), { count: _.inc(1) });
        return retry?.count ?? 1;
      }
    },
    async pruneExpired(now: Date): Promise<void> {
      await coll().where({ expiresAt: _.lt(now) }).remove();
    },
  };
}
