// The ports of the functions service: what other services may use of it (and the one it needs).
import type { ApiContract } from '../http/api-table';
import { port } from '../port-registry';
import type { Deployment, FunctionHost } from './function-host';
import type { FunctionDefinition } from './function-registry';
import type { functionsConsoleRoutes } from './functions-console-api';
import type { functionsControlRoutes } from './functions-control';
import type { Caller, FunctionRunner } from './function-runner';
import type { InvocationLog } from './invocation-log';

export type { ApiLog, Deployment, FunctionHost, HostedFunction, HostInvokeOutcome } from './function-host';
export type { InvocationLog } from './invocation-log';
export type { FunctionRunner } from './function-runner';
export type { InvocationRecord } from './invocation-record';

export type { Caller, FunctionDefinition };
export type InvokeOutcome = Awaited<ReturnType<FunctionRunner['invoke']>>;

/** What other services do with the served functions: read their definitions, call them, count a call's database requests. */
export interface FunctionCalls {
  definitions(): FunctionDefinition[];
  has(name: string): boolean;
  invoke(name: string, event: unknown, caller: Caller): Promise<InvokeOutcome>;
  /** The caller a function's own functions.invokeFunction passes on (its user, its source). */
  chainedCaller(instanceId: string | undefined): Caller;
  /** A CloudBase API request of a running instance has begun; call what it returns when it ends. */
  dbCallStarted(instanceId: string | undefined): () => void;
  /** The function an instance is running now and its caller (a CloudBase API request names its instance). */
  callOf(instanceId: string | undefined): { functionName: string; caller: Caller } | undefined;
}

export const FUNCTIONS = port<FunctionCalls>('functions.calls');
/** The runner itself, for the one who started the emulator (the CLI's banner, tests) and no service. */
export const RUNNER = port<FunctionRunner>('functions.runner');
export const INVOCATION_LOG = port<InvocationLog>('functions.log');
/** The served functions as the cloud API deploys them. */
export const FUNCTION_HOST = port<FunctionHost>('functions.host');
/** Subscribes to "a function was deployed or removed" (its triggers may have changed). */
export const FUNCTION_CHANGES = port<(listener: (name: string) => void) => void>('functions.changes');

/** Needed, not offered: a function's deployments through the cloud API (tcb fn deploy), oldest first. */
export const DEPLOYMENTS = port<(name: string) => Deployment[]>('functions.deployments');

/** The console's functions API and the functions control routes, as the UI receives them. */
export type FunctionsConsoleContract = ApiContract<ReturnType<typeof functionsConsoleRoutes>>;
export type FunctionsControlContract = ApiContract<ReturnType<typeof functionsControlRoutes>>;
