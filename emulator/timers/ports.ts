// The port of the timers service: its scheduler (tests fire triggers through it).
import type { ApiContract } from '../http/api-table';
import { port } from '../port-registry';
import type { TimerScheduler } from './timer-scheduler';
import type { timersControlRoutes } from './timers-control';

export const TIMERS = port<TimerScheduler>('timers.scheduler');

/** The timers control routes, as the UI receives them. */
export type TimersControlContract = ApiContract<ReturnType<typeof timersControlRoutes>>;
