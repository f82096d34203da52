// The functions service's control routes.
import type { ApiTable } from '../http/api-table';
import type { FunctionRunner } from './function-runner';
import type { InvocationLog } from './invocation-log';

/** GET /_emulator/functions and /_emulator/logs: the served functions (with their runtime and the Node.js they run on), and the invocation records kept. */
export const functionsControlRoutes = (runner: FunctionRunner, log: InvocationLog) => ({
  functions: ['GET', '/_emulator/functions', () => Promise.all(runner.definitions().map(async (d) => ({ name: d.name, config: d.config, instances: runner.instanceCount(d.name), ...(await runner.runtimeOf(d.name)) })))],
  logs: ['GET', '/_emulator/logs', () => log.list()],
}) satisfies ApiTable;
