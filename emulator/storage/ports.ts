// The ports of cloud storage: its actions for /admin, files for other services, what the console
// shows; and the console's storage API as the UI receives it.
import type { ApiContract } from '../http/api-table';
import { port } from '../port-registry';
import type { AdminStorage, CloudFiles, StorageConsole } from './index';
import type { storageConsoleRoutes } from './storage-console-api';

export type { AdminStorage, CloudFiles, StorageConsole };

export const ADMIN_STORAGE = port<AdminStorage>('storage.admin');
export const CLOUD_FILES = port<CloudFiles>('storage.files');
export const STORAGE_CONSOLE = port<StorageConsole>('storage.console');

export type StorageConsoleContract = ApiContract<ReturnType<typeof storageConsoleRoutes>>;
