// The parts of `npm run bench`, in run order. A new bench part is one line here.
import { backupPart } from './backup';
import { coldStartPart } from './cold-start';
import { deployPart } from './deploy';
import { instancesPart } from './instances';
import { loadPart } from './load';
import { loginLatencyPart } from './login-latency';
import type { BenchPart } from './part';
import { roundTripsPart } from './round-trips';
import { runtimeModesPart } from './runtime-modes';
import { scalePart } from './scale';
import { startUpPart } from './start-up';
import { storagePart } from './storage';
import { storeScalingPart } from './store-scaling';
import { suitePart } from './suite';

export const PARTS: readonly BenchPart[] = [
  coldStartPart,
  startUpPart,
  roundTripsPart,
  loadPart,
  instancesPart,
  runtimeModesPart,
  loginLatencyPart,
  backupPart,
  storeScalingPart,
  storagePart,
  deployPart,
  scalePart,
  suitePart,
];
