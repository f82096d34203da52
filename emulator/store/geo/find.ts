// A MongoDB find over documents in memory with mingo and the geo operators: filter, then
// nearest-first for a $nearSphere/$near query unless an explicit sort is given (MongoDB: "sort()
// re-orders the matching documents, effectively overriding the sort operation already performed
// by $near"), then skip, limit and projection.
import { Query, find as mingoFind } from 'mingo';
import { DatabaseError } from '../database-error';
import { findNear, geoContext, sortByDistance } from './index';

type Doc = Record<string, unknown>;

export interface InMemoryFindOptions {
  sort?: Record<string, 1 | -1>;
  skip?: number;
  limit?: number;
  projection?: Record<string, unknown>;
}

const context = geoContext();

export function findInMemory<T extends Doc>(docs: T[], query: unknown, opts: InMemoryFindOptions = {}): T[] {
  const criteria = (query ?? {}) as Doc;
  const near = findNear(criteria);
  const hasSort = opts.sort !== undefined && Object.keys(opts.sort).length > 0;
  let matched: T[];
  try {
    const q = new Query(criteria, { context });
    matched = docs.filter((d) => q.test(d));
    if (hasSort) matched = mingoFind(matched, {}, undefined, { context }).sort(opts.sort!).all() as T[];
  } catch (err) {
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError('DATABASE_INVALID_OPERRATOR', (err as Error).message);
  }
  if (near && !hasSort) matched = sortByDistance(matched, near);
  const start = opts.skip ?? 0;
  const page = matched.slice(start, opts.limit === undefined ? undefined : start + opts.limit);
  if (!opts.projection || Object.keys(opts.projection).length === 0) return page;
  return mingoFind(page, {}, opts.projection, { context }).all() as T[];
}
