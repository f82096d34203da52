// Builds a function's main(event, context) from its handler table. Every call runs the same checks
// in the same order: pick the handler by event.name (the configured one for a timer run: SOURCE
// wx_trigger, or a context with no end user that sent the documented timer event), check who
// is calling, authenticate when the handler says how (before the body is even decoded, so a
// stranger learns nothing of the input rules), decode the body, check it is well-formed text and
// validate it with the handler's zod schema, run it, and render success or failure in the
// function's shape.
import type { z } from 'zod';
import { createContext, type RequestInfo } from '../context';
import { AppError, toAppError } from '../errors/app-error';
import { logError } from '../log';
import { getPlatformContext } from '../platform';
import { findIllFormedText } from '../validation';
import { isIntegratedRequest, resolveCaller, timerTriggerName, type Caller } from './caller';
import type { Handler, HandlerTable } from './define-handler';

export interface Renderer {
  success(result: unknown, name: string): unknown;
  /** May throw: common and backdb reject the call instead of returning an error value. */
  failure(error: AppError, name: string | undefined, handler: Handler | undefined): unknown;
}

export interface RouterOptions {
  renderer: Renderer;
  /** The handler a timer run runs (from the function's config.json). */
  timerHandler?: string;
  /** The function's timer triggers (config.json `triggers`), whose documented event a server caller may send. */
  timerTriggers?: readonly string[];
}

/** A body still to be decoded (an HTTP request's): decoding may fail with the media-type error. */
export class EncodedInput {
  constructor(readonly decode: () => unknown) {}
}

const CALLER_NAMES: Record<Caller['kind'], string> = {
  user: 'this user',
  webUser: 'a CloudBase web user (this backend serves mini-program users only)',
  anonymous: 'a client without a WeChat identity',
  http: 'an HTTP access request',
  timer: 'the timer',
  server: 'a server-side caller',
};

const PLATFORM_FIELDS = new Set(['name', 'data', 'userInfo']);

/** Seed 000 sends { name, data: {...} }; seeds 001/002 put the fields on the event itself. Accept both. */
export function extractInput(event: Record<string, unknown>): Record<string, unknown> {
  const own = Object.fromEntries(Object.entries(event).filter(([k]) => !PLATFORM_FIELDS.has(k)));
  const data = event.data;
  return data && typeof data === 'object' && !Array.isArray(data) ? { ...own, ...(data as Record<string, unknown>) } : own;
}

export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.length ? i.path.join('.') : 'input';
      // Our own messages read as a sentence after the field name ("nickname must be 1-32 characters").
      return /^[a-z]/.test(i.message) ? `${where} ${i.message}` : `${where}: ${i.message}`;
    })
    .join('; ');
}

/** Who is calling and in which environment, from what the platform injected for this run (see caller.ts for the event's part). */
export function currentInvocation(event?: unknown): { caller: Caller; envId: string } {
  const platform = getPlatformContext();
  return { caller: resolveCaller(platform, event), envId: String((platform.wx as Record<string, unknown>).ENV ?? '') };
}

export function createRouter<T extends HandlerTable>(table: T, options: RouterOptions) {
  const names = Object.keys(table);

  async function dispatch(name: unknown, input: unknown, caller: Caller, envId: string, request?: RequestInfo): Promise<unknown> {
    const handlerName = typeof name === 'string' ? name : undefined;
    const handler = handlerName !== undefined && Object.prototype.hasOwnProperty.call(table, handlerName) ? table[handlerName] : undefined;
    try {
      if (!handler) throw new AppError('UNKNOWN_ACTION', `unknown name ${JSON.stringify(name ?? null)}; valid names: ${names.join(', ')}`);
      if (!handler.allow.includes(caller.kind)) {
        const anonymous = caller.kind === 'anonymous' || caller.kind === 'http';
        throw new AppError(anonymous ? 'UNAUTHORIZED' : 'FORBIDDEN', `${handlerName} may not be called by ${CALLER_NAMES[caller.kind]}`);
      }
      const ctx = createContext(caller, envId, request);
      if (handler.authenticate) await handler.authenticate(ctx);
      const decoded = input instanceof EncodedInput ? input.decode() : input;
      const illFormed = findIllFormedText(decoded);
      if (illFormed !== undefined) throw new AppError('INVALID_PARAMS', `${illFormed || 'input'} must be well-formed text (it holds a lone UTF-16 surrogate)`);
      const parsed = handler.input.safeParse(decoded);
      if (!parsed.success) throw new AppError('INVALID_PARAMS', formatZodError(parsed.error));
      const result = await handler.run({ input: parsed.data, ctx });
      return options.renderer.success(result, handlerName as string);
    } catch (err) {
      const appError = toAppError(err);
      // Nobody waits for a timer run's answer: its failure is a line in the log or nothing at all.
      if (appError.code === 'INTERNAL' || appError.code === 'CONFIGURATION' || caller.kind === 'timer') logError(`${caller.kind === 'timer' ? 'timer run of ' : ''}${handlerName ?? '?'} failed`, err);
      return options.renderer.failure(appError, handlerName, handler);
    }
  }

  /**
   * An invocation whose caller is known: the handler named by the event, or the timer's. A timer
   * run (SOURCE wx_trigger) runs the timer handler whatever it sent; a server caller (no end user
   * of any kind) runs it by sending the documented timer event of one of this function's
   * triggers, since CloudBase documents that event and not the SOURCE a CLI-made trigger sets.
   * So does a run marked HTTP by the gateway's keys alone: HTTP access always sends the integrated
   * request as the event, so a timer event there did not come through the gateway (a platform
   * that lists TCB_SOURCE_IP for timer runs too must not stop the backup). An end user's
   * timer-shaped event is just an event without a name.
   */
  function handle(event: unknown, caller: Caller, envId: string): Promise<unknown> {
    const record = event && typeof event === 'object' && !Array.isArray(event) ? (event as Record<string, unknown>) : {};
    if (caller.kind === 'timer') return dispatch(options.timerHandler, {}, caller, envId);
    const trigger = timerTriggerName(event);
    const noEndUser = caller.kind === 'server' || (caller.kind === 'http' && !isIntegratedRequest(event));
    if (noEndUser && trigger !== undefined && options.timerTriggers?.includes(trigger)) {
      return dispatch(options.timerHandler, {}, { kind: 'timer', source: caller.source }, envId);
    }
    return dispatch(record.name, extractInput(record), caller, envId);
  }

  async function main(event: unknown): Promise<unknown> {
    const { caller, envId } = currentInvocation(event);
    return handle(event, caller, envId);
  }

  return { main, handle, dispatch, names };
}
