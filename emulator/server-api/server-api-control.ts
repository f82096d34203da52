// The CloudBase server API service's control routes.
import type { ApiTable } from '../http/api-table';
import type { DocumentStore } from '../store/document-store';

/** GET /_emulator/collections and /_emulator/stats: what the database holds, and how many writes it has made. */
export const serverApiControlRoutes = (store: DocumentStore) => ({
  collections: ['GET', '/_emulator/collections', async () => Promise.all(store.listCollections().map(async (name) => ({ name, count: await store.count(name, {}), uniqueIndexes: store.uniqueFields(name) })))],
  stats: ['GET', '/_emulator/stats', () => ({ writes: store.writeCount })],
}) satisfies ApiTable;
