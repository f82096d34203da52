// where(...).updateAndReturn(data): CloudBase's modifyAndReturnDoc. wx-server-sdk's typings and its
// query wrapper do not expose it; @cloudbase/database's Query, which the wrapper keeps as `_query`,
// does (the same call production reaches through shared/db/db-helpers.ts).
export interface UpdateAndReturn {
  updated: number;
  doc: Record<string, unknown> | null;
}

export function updateAndReturn(query: unknown, data: Record<string, unknown>): Promise<UpdateAndReturn> {
  return (query as { _query: { updateAndReturn(d: Record<string, unknown>): Promise<UpdateAndReturn> } })._query.updateAndReturn(data);
}
