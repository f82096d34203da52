// The port of the CloudBase server API service: the emulated database other services read.
import type { ApiContract } from '../http/api-table';
import { port } from '../port-registry';
import type { DocumentStore } from '../store/document-store';
import type { dataConsoleRoutes } from './data-console-api';
import type { serverApiControlRoutes } from './server-api-control';

export const STORE = port<DocumentStore>('database.store');

/** The console's data API and the database control routes, as the UI receives them. */
export type DataConsoleContract = ApiContract<ReturnType<typeof dataConsoleRoutes>>;
export type ServerApiControlContract = ApiContract<ReturnType<typeof serverApiControlRoutes>>;
