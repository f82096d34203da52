// Small facts about the CloudBase database that every collection module needs.
import type { Data, Query } from './typed-collection';

/** wx-server-sdk 4.x maps CloudBase's DATABASE_DUPLICATE_WRITE to errCode -501001, so match the text. */
export function isDuplicateKeyError(err: unknown): boolean {
  const e = err as { errMsg?: unknown; message?: unknown } | undefined;
  return /DUPLICATE_WRITE|E11000|duplicate key/i.test(`${String(e?.errMsg ?? '')} ${String(e?.message ?? '')}`);
}

type WhereQuery = Query;

/**
 * One atomic update that returns the updated document (CloudBase's modifyAndReturnDoc).
 * wx-server-sdk 4.0.2 does not expose updateAndReturn on its Query wrapper, so this reaches the
 * wrapped @cloudbase/database query, which sends the documented action.
 */
export async function updateAndReturn<T>(query: WhereQuery, data: Record<string, unknown>): Promise<T | undefined> {
  const inner = (query as unknown as { _query?: { updateAndReturn?: (d: unknown) => Promise<{ code?: string; message?: string; doc?: T }> } })._query;
  if (!inner?.updateAndReturn) throw new Error('this wx-server-sdk version does not provide updateAndReturn');
  const res = await inner.updateAndReturn(data);
  if (res.code) throw Object.assign(new Error(`${res.code}: ${res.message ?? ''}`), { errMsg: `${res.code}: ${res.message ?? ''}` });
  return res.doc ?? undefined;
}

/**
 * A server-side read returns at most one page: 100 documents in cloud functions by the
 * documentation (developers.weixin.qq.com .../database/collection/Collection.get.html: 默认及最大
 * 上限为 100; the limit() page says 1000, and community tests report 100).
 */
export const SERVER_READ_PAGE = 100;

/**
 * Every document `query` matches (up to `max`), in pages of SERVER_READ_PAGE ordered by _id. Each
 * page starts where the documents received so far end, and only an empty page ends the read, so a
 * platform that returns fewer documents per read than asked still yields all of them.
 */
export async function readAll(query: Query, max = Infinity): Promise<Data[]> {
  const all: Data[] = [];
  while (all.length < max) {
    const { data } = await query.orderBy('_id', 'asc').skip(all.length).limit(Math.min(SERVER_READ_PAGE, max - all.length)).get();
    if (data.length === 0) break;
    all.push(...data);
  }
  return all;
}
