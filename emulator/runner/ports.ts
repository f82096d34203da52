// The ports of the functions service: what other services may use of it (and the one it needs).
import { port } from '../port-registry';
import type { FunctionHost } from './function-host';
import type { FunctionRunner } from './function-runner';
import type { InvocationLog } from './invocation-log';

export type { ApiLog, FunctionHost, HostedFunction, HostInvokeOutcome } from './function-host';
export type { InvocationLog } from './invocation-log';
export type { FunctionRunner } from './function-runner';
export type { InvocationRecord } from './invocation-record';

export const FUNCTIONS = port<FunctionRunner>('functions.runner');
export const INVOCATION_LOG = port<InvocationLog>('functions.log');
/** The served functions as the cloud API deploys them. */
export const FUNCTION_HOST = port<FunctionHost>('functions.host');
/** Subscribes to "a function was deployed or removed" (its triggers may have changed). */
export const FUNCTION_CHANGES = port<(listener: (name: string) => void) => void>('functions.changes');

export interface Deployment { source: 'build' | 'tcb deploy'; action: string; at: string; bytes: number }
/** Needed, not offered: a function's deployments through the cloud API (tcb fn deploy), oldest first. */
export const DEPLOYMENTS = port<(name: string) => Deployment[]>('functions.deployments');
