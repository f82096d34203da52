// A MongoDB find over documents already in memory (a transaction's snapshot), on the store's one
// engine: filter, then nearest-first for a $nearSphere/$near query unless an explicit sort is given
// (MongoDB: "sort() re-orders the matching documents, effectively overriding the sort operation
// already performed by $near"), then skip, limit and projection.
import type { FindOptions } from './document-store';
import { findNear, sortByDistance } from './geo';
import { compileQuery, project, sortDocs } from './mongo-engine';

type Doc = Record<string, unknown>;

export function findInMemory<T extends Doc>(docs: T[], query: unknown, opts: FindOptions = {}): T[] {
  const hasSort = opts.sort !== undefined && Object.keys(opts.sort).length > 0;
  const near = hasSort ? undefined : findNear(query);
  const test = compileQuery(query);
  let matched = docs.filter((d) => test(d));
  if (hasSort) matched = sortDocs(matched, opts.sort!) as T[];
  else if (near) matched = sortByDistance(matched, near);
  const start = opts.skip ?? 0;
  const page = matched.slice(start, opts.limit === undefined ? undefined : start + opts.limit);
  return project(page, opts.projection) as T[];
}
