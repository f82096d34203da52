// Runs an aggregation pipeline over a collection's documents with mingo, refusing stages the
// emulator cannot run faithfully and bridging the two places where mingo differs from MongoDB.
import { aggregate as mingoAggregate } from 'mingo';
import { DatabaseError } from './database-error';

type Doc = Record<string, unknown>;

const STAGES = new Set([
  '$match', '$group', '$sort', '$limit', '$skip', '$project', '$count', '$unwind', '$addFields',
  '$sample', '$replaceRoot', '$lookup', '$sortByCount', '$bucket', '$bucketAuto',
]);

/** Loads every document of a collection, or undefined when it does not exist. */
export type CollectionLoader = (name: string) => Promise<Doc[] | undefined>;

export async function runAggregation(docs: Doc[], pipeline: Doc[], load: CollectionLoader): Promise<Doc[]> {
  const stages = pipeline.flatMap(rewriteStage);
  // $lookup names another collection; mingo resolves names synchronously, so load them first.
  const foreign = new Map<string, Doc[]>();
  for (const from of lookupSources(stages)) foreign.set(from, (await load(from)) ?? []);
  try {
    return mingoAggregate(docs, stages, { collectionResolver: (name) => foreign.get(name) ?? [] }) as Doc[];
  } catch (err) {
    throw new DatabaseError('DATABASE_INVALID_OPERRATOR', (err as Error).message);
  }
}

function rewriteStage(stage: Doc): Doc[] {
  const keys = Object.keys(stage);
  const key = keys[0] ?? '';
  if (keys.length !== 1 || !STAGES.has(key)) {
    throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `aggregate stage ${key || '(empty)'} is not supported by the local emulator`);
  }
  // mingo's $count yields {n: 0} for no input; MongoDB's yields no document, like this $group.
  if (key === '$count') {
    if (typeof stage.$count !== 'string' || stage.$count === '') throw new DatabaseError('INVALID_PARAM', '$count expects a field name');
    return [{ $group: { _id: null, [stage.$count]: { $sum: 1 } } }, { $project: { _id: 0 } }];
  }
  return [stage];
}

function lookupSources(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) lookupSources(v, found);
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const lookup = (value as Doc).$lookup as Doc | undefined;
    if (lookup && typeof lookup.from === 'string') found.add(lookup.from);
    for (const v of Object.values(value)) lookupSources(v, found);
  }
  return found;
}
