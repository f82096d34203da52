// One collection: a filter (MongoDB-style JSON query, EJSON for dates) and sort, the documents in a
// paged table, and view / edit / add / delete. A bad filter shows its error and keeps the table.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { ErrorLine } from '../../components/ErrorLine';
import { parseObject } from '../../json';
import type { DocumentPage, JsonObject } from '../../types';
import { DocumentEditor, type EditorMode } from './DocumentEditor';
import { DocumentTable } from './DocumentTable';

const PAGE_SIZE = 20;

interface Query { filter: string; sort: string; skip: number }

export function CollectionView({ collection, uniqueIndexes, onChanged }: { collection: string; uniqueIndexes: string[]; onChanged: () => void }) {
  const [filterText, setFilterText] = useState('');
  const [sortText, setSortText] = useState('');
  const [query, setQuery] = useState<Query>({ filter: '{}', sort: '{}', skip: 0 });
  const [page, setPage] = useState<DocumentPage | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [editor, setEditor] = useState<EditorMode | undefined>(undefined);

  /** Loads a page; the shown query and table only change when the load succeeds. */
  const load = useCallback(async (next: Query) => {
    const qs = new URLSearchParams({ filter: next.filter, sort: next.sort, skip: String(next.skip), limit: String(PAGE_SIZE) });
    try {
      const reply = await api<DocumentPage>(`/_emulator/console/collections/${encodeURIComponent(collection)}/documents?${qs}`);
      setPage(reply);
      setQuery(next);
      setError(undefined);
    } catch (err) {
      setError(errorText(err));
    }
  }, [collection]);

  useEffect(() => void load({ filter: '{}', sort: '{}', skip: 0 }), [load]);

  const apply = (e: Event) => {
    e.preventDefault();
    const filter = parseObject(filterText, 'filter', true);
    const sort = parseObject(sortText, 'sort', true);
    if (!filter.ok) return setError(filter.error);
    if (!sort.ok) return setError(sort.error);
    void load({ filter: JSON.stringify(filter.value), sort: JSON.stringify(sort.value), skip: 0 });
  };

  const refresh = async () => {
    setEditor(undefined);
    await load(query);
    onChanged();
  };

  const remove = async (doc: JsonObject) => {
    try {
      await api(`/_emulator/console/collections/${encodeURIComponent(collection)}/documents/${encodeURIComponent(String(doc._id))}`, 'DELETE');
      await refresh();
    } catch (err) {
      setError(errorText(err));
    }
  };

  const total = page?.total ?? 0;
  return (
    <div class="collection">
      <header class="row">
        <h2>{collection}</h2>
        <span class="muted">{uniqueIndexes.length ? `unique indexes: ${uniqueIndexes.join(', ')}` : 'no unique indexes'}</span>
        <button class="primary" onClick={() => setEditor({ kind: 'add' })}>Add document</button>
      </header>
      <form class="filter row" onSubmit={apply}>
        <input aria-label="Filter" class="grow" placeholder='Filter, e.g. {"openid": "o_123"} or {"id": {"$gt": 10}}' value={filterText} onInput={(e) => setFilterText(e.currentTarget.value)} />
        <input aria-label="Sort" placeholder='Sort, e.g. {"id": -1}' value={sortText} onInput={(e) => setSortText(e.currentTarget.value)} />
        <button type="submit">Apply</button>
      </form>
      <ErrorLine message={error} />
      {editor && <DocumentEditor key={editor.kind === 'add' ? 'add' : `${editor.kind}:${String(editor.doc._id)}`} collection={collection} mode={editor} onMode={setEditor} onClose={() => setEditor(undefined)} onSaved={refresh} />}
      {page && (
        <>
          <DocumentTable docs={page.documents} onView={(doc) => setEditor({ kind: 'view', doc })} onEdit={(doc) => setEditor({ kind: 'edit', doc })} onDelete={remove} />
          <footer class="pager row">
            <span aria-label="Page range">
              {total === 0 ? 'no documents match' : `${query.skip + 1}–${query.skip + page.documents.length} of ${total}`}
            </span>
            <button disabled={query.skip === 0} onClick={() => void load({ ...query, skip: Math.max(0, query.skip - PAGE_SIZE) })}>Previous</button>
            <button disabled={query.skip + PAGE_SIZE >= total} onClick={() => void load({ ...query, skip: query.skip + PAGE_SIZE })}>Next</button>
          </footer>
        </>
      )}
    </div>
  );
}
