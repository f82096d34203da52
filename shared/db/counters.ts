// counters: monotonic numbers, one document per sequence ({ _id: name, value }).
import { z } from 'zod';
import type { Database } from '../platform';
import { COLLECTIONS } from './collections';
import { collection } from './typed-collection';

export const counterDocSchema = z.object({ _id: z.string(), value: z.number().int().nonnegative() });
export type CounterDoc = z.infer<typeof counterDocSchema>;

export function countersCollection(db: Database) {
  const coll = () => collection(db, COLLECTIONS.counters.name);
  return {
    async peek(name: string): Promise<number> {
      const { data } = await coll().doc(name).get();
      const parsed = counterDocSchema.safeParse(data);
      return parsed.success ? parsed.data.value : 0;
    },
    /** Raise the sequence to at least `value` (never lowers it). */
    async raise(name: string, value: number): Promise<void> {
      const _ = db.command;
      const res = await coll().doc(name).update({ data: { value: _.max(value) } });
      if (res.stats.updated === 0) {
        const { data } = await coll().doc(name).get();
        if (!data) await coll().doc(name).set({ data: { value } }).catch(() => undefined);
      }
    },
  };
}
