// The port of the timers service: its scheduler (tests fire triggers through it).
import { port } from '../port-registry';
import type { TimerScheduler } from './timer-scheduler';

export const TIMERS = port<TimerScheduler>('timers.scheduler');
