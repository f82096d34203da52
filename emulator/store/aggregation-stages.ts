// Pipeline stages where mingo 7.2.6 departs from MongoDB, registered over mingo's own in the
// aggregation's Context. Each cites the MongoDB manual rule it restores.
import { evalExpr } from 'mingo/core';
import * as mingoPipeline from 'mingo/operators/pipeline';
import { compare } from 'mingo/util';
import { DatabaseError } from './database-error';

type Doc = Record<string, unknown>;
type Options = Parameters<typeof evalExpr>[2];
interface Stream {
  transform(f: (docs: Doc[]) => Iterable<unknown> & { next(): unknown }): Stream;
  filter(f: (doc: unknown) => boolean): Stream;
}
type Stage = (coll: Stream, expr: unknown, options: Options) => Stream;

const original = mingoPipeline as unknown as Record<string, Stage>;

/**
 * $bucket: a value equal to a boundary belongs to the bucket that boundary opens (lower bound
 * inclusive, upper exclusive), and "$bucket only produces output documents for buckets that
 * contain at least one input document".
 */
const $bucket: Stage = (coll, expr, options) => {
  const spec = expr as { groupBy?: unknown; boundaries?: unknown; default?: unknown; output?: unknown };
  const bounds = spec.boundaries;
  if (!Array.isArray(bounds) || bounds.length < 2 || !bounds.every((b, i) => i === 0 || (typeof b === typeof bounds[i - 1] && compare(bounds[i - 1], b) < 0))) {
    throw new DatabaseError('DATABASE_REQUEST_FAILED', "The $bucket 'boundaries' field must be an array of at least two values of the same type, sorted in ascending order");
  }
  const hasDefault = spec.default !== undefined;
  const output = (spec.output ?? { count: { $sum: 1 } }) as Doc;
  return coll.transform((docs) => {
    const groups = new Map<number, Doc[]>();
    for (const doc of docs) {
      const key = evalExpr(doc, spec.groupBy, options);
      let slot = bounds.findIndex((lo, i) => i < bounds.length - 1 && compare(key, lo) >= 0 && compare(key, bounds[i + 1]) < 0 && typeof key === typeof lo);
      if (slot === -1) {
        if (!hasDefault) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$bucket could not find a matching branch for an input, and no default was specified.');
        slot = bounds.length;
      }
      groups.set(slot, [...(groups.get(slot) ?? []), doc]);
    }
    const rows = [...groups.keys()].sort((a, b) => a - b).map((slot) => ({ _id: slot === bounds.length ? spec.default : bounds[slot], ...(evalExpr(groups.get(slot), output, options) as Doc) }));
    return rows.values();
  });
};

/** $sample: N distinct documents in random order (all of them when N ≥ the count); mingo draws with replacement. */
const $sample: Stage = (coll, expr) => {
  const size = (expr as { size?: unknown })?.size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) throw new DatabaseError('DATABASE_REQUEST_FAILED', 'size argument to $sample must be a non-negative integer');
  return coll.transform((docs) => {
    const pool = [...docs];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, size).values();
  });
};

/** $redact: a document that evaluates to $$PRUNE at the top level is left out, not output as null. */
const $redact: Stage = (coll, expr, options) => original.$redact!(coll, expr, options).filter((doc) => doc !== null && doc !== undefined);

export const STAGE_OVERRIDES: Record<string, Stage> = { $bucket, $sample, $redact };
