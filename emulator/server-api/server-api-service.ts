// The CloudBase server API (POST /admin[/i/<instance>], as wx-server-sdk calls it) as an emulated
// service: it opens the database with the collections it is given, answers the database actions
// and hands storage.* and functions.* actions to the services that offer them.
import path from 'node:path';
import { OPENAPI_ACTION } from '../cloud-calls/ports';
import { FUNCTIONS } from '../runner/ports';
import type { ServiceFactory } from '../service';
import { ADMIN_STORAGE } from '../storage/ports';
import { DocumentStore, type StoreOptions } from '../store/document-store';
import { handleAdmin, type AdminDeps } from './admin-route';
import { dataConsoleRoutes } from './data-console-api';
import { serverApiControlRoutes } from './server-api-control';
import { STORE } from './ports';
import { TransactionManager } from '../store/transactions';

export const serverApiService = (collections: StoreOptions['collections']): ServiceFactory => async ({ options, dataDir, ports, diagnostics }) => {
  const store = await DocumentStore.open({ dir: dataDir && path.join(dataDir, 'db'), collections });
  ports.offer(STORE, store);
  const deps: AdminDeps = { store, transactions: new TransactionManager(store), now: () => new Date(), runner: () => ports.need(FUNCTIONS), latencyMs: options.dbLatencyMs ?? 0, storage: ports.need(ADMIN_STORAGE), openApi: () => ports.need(OPENAPI_ACTION), diagnostics };
  return {
    name: 'server-api',
    routes: [{ methods: ['POST'], path: /^\/admin(?:\/i\/([A-Za-z0-9-]+))?\/?$/, handle: (req, res, { raw }) => handleAdmin(req, res, raw[0], deps) }],
    control: serverApiControlRoutes(store),
    console: dataConsoleRoutes(store),
    close: () => store.close(),
  };
};
