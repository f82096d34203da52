// A handler is data: who may call it, its zod input schema, and run(). Result and input types
// flow from here to the router's type, which the mini-program imports as a type only.
import type { z } from 'zod';
import type { ErrorCode } from '../errors/app-error';
import type { HandlerContext } from '../context';
import type { CallerKind } from './caller';

export interface Handler<S extends z.ZodType = z.ZodType, R = unknown> {
  allow: readonly CallerKind[];
  input: S;
  /**
   * Checks the caller's credentials (e.g. a Bearer token) before the input is decoded or
   * validated; throws UNAUTHORIZED. Absent: the caller kinds in `allow` are all the check.
   */
  authenticate?(ctx: HandlerContext): Promise<void>;
  /** Seed-specific numbers for error codes (the user API defines them per operation). */
  errorCodes?: Partial<Record<ErrorCode, number>>;
  run(args: { input: z.output<S>; ctx: HandlerContext }): Promise<R>;
}

export function defineHandler<S extends z.ZodType, R>(handler: Handler<S, R>): Handler<S, R> {
  return handler;
}

export type HandlerTable = Record<string, Handler<z.ZodType, unknown>>;

/** `{ login: { input, result } ... }` for a handler table: what a typed client needs. */
export type RouterContract<T extends HandlerTable> = {
  [K in keyof T]: T[K] extends Handler<infer S, infer R> ? { input: z.input<S>; result: R } : never;
};
