// Builds a function's main(event, context) from its handler table: pick the handler by
// event.name (or the configured one for a timer event), check who is calling, validate the input
// with the handler's zod schema, run it, and render success or failure in the function's shape.
import type { z } from 'zod';
import { createContext, type RequestInfo } from '../context';
import { AppError, toAppError } from '../errors/app-error';
import { logError } from '../log';
import { getWXContext } from '../platform';
import { isTimerEvent, resolveCaller, type Caller } from './caller';
import type { Handler, HandlerTable } from './define-handler';

export interface Renderer {
  success(result: unknown, name: string): unknown;
  /** May throw: common and backdb reject the call instead of returning an error value. */
  failure(error: AppError, name: string | undefined, handler: Handler | undefined): unknown;
}

export interface RouterOptions {
  renderer: Renderer;
  /** The handler a timer event runs (from the function's config.json). */
  timerHandler?: string;
}

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

export function createRouter<T extends HandlerTable>(table: T, options: RouterOptions) {
  const names = Object.keys(table);

  async function dispatch(name: unknown, input: unknown, caller: Caller, envId: string, request?: RequestInfo): Promise<unknown> {
    const handlerName = typeof name === 'string' ? name : undefined;
    const handler = handlerName !== undefined && Object.prototype.hasOwnProperty.call(table, handlerName) ? table[handlerName] : undefined;
    try {
      if (!handler) throw new AppError('UNKNOWN_ACTION', `unknown name ${JSON.stringify(name ?? null)}; valid names: ${names.join(', ')}`);
      if (!handler.allow.includes(caller.kind)) {
        const anonymous = caller.kind === 'anonymous' || caller.kind === 'http';
        throw new AppError(anonymous ? 'UNAUTHORIZED' : 'FORBIDDEN', `${handlerName} may not be called by ${caller.kind === 'user' ? 'this user' : `a ${caller.kind} caller`}`);
      }
      const parsed = handler.input.safeParse(input);
      if (!parsed.success) throw new AppError('INVALID_PARAMS', formatZodError(parsed.error));
      const result = await handler.run({ input: parsed.data, ctx: createContext(caller, envId, request) });
      return options.renderer.success(result, handlerName as string);
    } catch (err) {
      const appError = toAppError(err);
      if (appError.code === 'INTERNAL') logError(`${handlerName ?? '?'} failed`, err);
      return options.renderer.failure(appError, handlerName, handler);
    }
  }

  async function main(event: unknown): Promise<unknown> {
    const wx = getWXContext();
    const caller = resolveCaller(wx, event);
    const envId = String((wx as Record<string, unknown>).ENV ?? '');
    const record = event && typeof event === 'object' && !Array.isArray(event) ? (event as Record<string, unknown>) : {};
    const name = caller.kind === 'timer' && isTimerEvent(event) ? options.timerHandler : record.name;
    return dispatch(name, caller.kind === 'timer' ? {} : extractInput(record), caller, envId);
  }

  return { main, dispatch, names };
}
