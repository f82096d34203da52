// mingo's sub-modules, loaded through its package `exports` (which this project's TypeScript
// module resolution cannot see) and typed by its declaration files.
import type * as AggregatorModule from 'mingo/types/aggregator';
import type * as CoreModule from 'mingo/types/core';
import type * as QueryModule from 'mingo/types/query';
import type * as UpdaterModule from 'mingo/types/updater';
import type * as UtilModule from 'mingo/types/util';
import type * as InternalModule from 'mingo/types/core/_internal';
import { createRequire } from 'node:module';
import path from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
export const { Aggregator } = require('mingo/aggregator') as typeof AggregatorModule;
export const { Context, ProcessingMode } = require('mingo/core') as typeof CoreModule;
export const { Query } = require('mingo/query') as typeof QueryModule;
export const { update } = require('mingo/updater') as typeof UpdaterModule;
export const { ensureArray, isNumber, resolve } = require('mingo/util') as typeof UtilModule;

/**
 * mingo copies every operator table of the context into fresh options on each call given plain
 * options (about a millisecond per query); given a ComputeOptions it reuses them. That class is not
 * among the package's exports, so it is loaded by file path (mingo is pinned).
 */
export const { ComputeOptions } = require(path.join(path.dirname(createRequire(__filename).resolve('mingo/package.json')), 'cjs/core/_internal.js')) as typeof InternalModule;

type OperatorModule = Record<string, (...args: never[]) => unknown>;
export const operatorModules = {
  query: require('mingo/operators/query') as OperatorModule,
  projection: require('mingo/operators/projection') as OperatorModule,
  pipeline: require('mingo/operators/pipeline') as OperatorModule,
  expression: require('mingo/operators/expression') as OperatorModule,
  accumulator: require('mingo/operators/accumulator') as OperatorModule,
  window: require('mingo/operators/window') as OperatorModule,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export type { Options } from 'mingo/types/types';
export type Context = CoreModule.Context;
