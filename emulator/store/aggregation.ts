// Runs an aggregation pipeline over a collection's documents on the store's one engine
// (mongo-engine.ts, which holds the overrides where mingo differs from MongoDB and the geo
// operators), refusing stages the emulator cannot run faithfully.
import { DatabaseError } from './database-error';
import { assertNoNear } from './geo';
import { runPipeline } from './mongo-engine';

type Doc = Record<string, unknown>;

/** Stages MongoDB has that mingo runs with MongoDB's meaning. */
const STAGES = new Set([
  '$match', '$group', '$sort', '$limit', '$skip', '$project', '$count', '$unwind', '$addFields',
  '$sample', '$replaceRoot', '$lookup', '$sortByCount', '$bucket', '$bucketAuto', '$facet',
  '$graphLookup', '$unionWith', '$replaceWith', '$set', '$unset', '$redact', '$setWindowFields',
  '$densify', '$fill', '$geoNear',
]);

/** Loads every document of a collection, or undefined when it does not exist. */
export type CollectionLoader = (name: string) => Promise<Doc[] | undefined>;

export async function runAggregation(docs: Doc[], pipeline: Doc[], load: CollectionLoader): Promise<Doc[]> {
  const stages = pipeline.flatMap((stage, i) => rewriteStage(stage, i));
  // $lookup, $graphLookup and $unionWith name other collections; mingo resolves names
  // synchronously, so load them first.
  const foreign = new Map<string, Doc[]>();
  for (const from of foreignCollections(stages)) foreign.set(from, (await load(from)) ?? []);
  return runPipeline(docs, stages, { collectionResolver: (name) => foreign.get(name) ?? [] });
}

function rewriteStage(stage: Doc, position: number): Doc[] {
  const keys = Object.keys(stage);
  const key = keys[0] ?? '';
  if (keys.length !== 1) throw new DatabaseError('INVALID_PARAM', 'an aggregation stage must have exactly one key');
  if (!STAGES.has(key)) throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `aggregate stage ${key || '(empty)'} is not supported by the local emulator`);
  // MongoDB manual, $geoNear: "You can only use $geoNear as the first stage of a pipeline."
  if (key === '$geoNear' && position !== 0) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$geoNear is only valid as the first stage in a pipeline');
  if (key === '$facet') assertFacet(stage.$facet);
  // MongoDB sorts $near results itself, which a $match cannot; it refuses them there.
  if (key === '$match') assertNoNear(stage.$match);
  // mingo's $count yields {n: 0} for no input; MongoDB's yields no document, like this $group.
  if (key === '$count') {
    if (typeof stage.$count !== 'string' || stage.$count === '') throw new DatabaseError('INVALID_PARAM', '$count expects a field name');
    return [{ $group: { _id: null, [stage.$count]: { $sum: 1 } } }, { $project: { _id: 0 } }];
  }
  return [stage];
}

/** MongoDB manual, $facet: its sub-pipelines cannot hold $facet, $geoNear, $out, $merge and a few more. */
function assertFacet(spec: unknown): void {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$facet expects an object of sub-pipelines');
  for (const [name, sub] of Object.entries(spec)) {
    if (!Array.isArray(sub)) throw new DatabaseError('DATABASE_REQUEST_FAILED', `$facet.${name} must be a pipeline (an array of stages)`);
    for (const stage of sub as Doc[]) {
      const key = Object.keys(stage ?? {})[0] ?? '';
      if (['$facet', '$geoNear', '$out', '$merge', '$collStats', '$indexStats'].includes(key)) {
        throw new DatabaseError('DATABASE_REQUEST_FAILED', `${key} is not allowed to be used within a $facet stage`);
      }
      if (!STAGES.has(key)) throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `aggregate stage ${key || '(empty)'} is not supported by the local emulator`);
    }
  }
}

function foreignCollections(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) foreignCollections(v, found);
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const record = value as Doc;
    for (const stage of ['$lookup', '$graphLookup'] as const) {
      const from = (record[stage] as Doc | undefined)?.from;
      if (typeof from === 'string') found.add(from);
    }
    const union = record.$unionWith;
    if (typeof union === 'string') found.add(union);
    else if (union && typeof (union as Doc).coll === 'string') found.add((union as Doc).coll as string);
    for (const v of Object.values(record)) foreignCollections(v, found);
  }
  return found;
}
