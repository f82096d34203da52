// Small facts about the CloudBase database that every collection module needs.
import type { Query } from './typed-collection';

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
