// Data: every collection with its document count and unique indexes; the chosen one's documents.
import { useApi } from '../hooks';
import { ErrorLine } from '../components/ErrorLine';
import type { CollectionInfo } from '../types';
import { CollectionView } from './data/CollectionView';

export function DataScreen({ collection, navigate }: { collection: string | undefined; navigate: (hash: string) => void }) {
  const collections = useApi<CollectionInfo[]>('/_emulator/console/collections');
  const current = collections.data?.find((c) => c.name === collection);
  return (
    <section class="split" aria-label="Data">
      <nav class="sidebar" aria-label="Collections">
        <h2>Collections</h2>
        <ErrorLine message={collections.error} />
        <ul class="collections">
          {(collections.data ?? []).map((c) => (
            <li key={c.name}>
              <a href={`#/data/${encodeURIComponent(c.name)}`} class={c.name === collection ? 'active' : ''} data-collection={c.name}>
                <span class="name">{c.name}</span>
                <span class="count" aria-label={`${c.count} documents`}>{c.count}</span>
              </a>
              {c.uniqueIndexes.length > 0 && <div class="indexes">unique: {c.uniqueIndexes.join(', ')}</div>}
            </li>
          ))}
        </ul>
      </nav>
      <div class="main">
        {collection ? (
          <CollectionView key={collection} collection={collection} uniqueIndexes={current?.uniqueIndexes ?? []} onChanged={() => void collections.reload()} />
        ) : (
          <p class="muted">
            Choose a collection.{' '}
            {collections.data?.[0] && <button onClick={() => navigate(`#/data/${encodeURIComponent(collections.data?.[0]?.name ?? '')}`)}>Open {collections.data[0].name}</button>}
          </p>
        )}
      </div>
    </section>
  );
}
