// Cloud storage as an emulated service: the /storage/* routes (a page in the mini-program's local
// mode may call them), the console's storage screen, and the ports other services use.
import path from 'node:path';
import type { ServiceFactory } from '../service';
import { createStorageService } from './index';
import { ADMIN_STORAGE, CLOUD_FILES, STORAGE_CONSOLE } from './ports';
import { storageConsoleRoutes } from './storage-console-api';

export const storageService: ServiceFactory = ({ options, envId, dataDir, baseUrl, browserOrigin, ports }) => {
  const storage = createStorageService({
    dir: dataDir && path.join(dataDir, 'storage'),
    envId,
    baseUrl,
    rulesFile: options.storageRulesFile ?? path.resolve(__dirname, '../../storage.rules.json'),
    uploadIdleTimeoutMs: options.uploadIdleTimeoutMs,
    allowOrigin: browserOrigin,
  });
  ports.offer(ADMIN_STORAGE, storage.admin);
  ports.offer(CLOUD_FILES, storage.files);
  ports.offer(STORAGE_CONSOLE, storage.console);
  return {
    name: 'storage',
    routes: storage.routes,
    browser: { paths: /^\/storage\// },
    console: storageConsoleRoutes(storage.console),
    close: () => storage.close(),
  };
};
