// Field formats shared by the APIs.
import { z } from 'zod';

/** An id given as text: any other type, length or character is refused with the one sentence `message`. */
function idTextSchema(pattern: RegExp, max: number, message: string) {
  const errorMap: z.ZodErrorMap = (_issue, ctx) => ({ message: ctx.data === undefined ? 'is required' : message });
  return z.string({ errorMap }).trim().refine((text) => text.length <= max && pattern.test(text), message);
}

export const openidSchema = idTextSchema(/^[A-Za-z0-9_-]+$/, 128, 'must be an openid (1-128 letters, digits, _ or -)');
/** A CloudBase collection name (letters, digits, _ and -, starting with a letter or _; at most 128). */
export const collectionNameSchema = idTextSchema(/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/, 128, 'must be a collection name');
export const nicknameSchema = z.string().trim().min(1, 'must be 1-32 characters').max(32, 'must be 1-32 characters');
export const httpUrlSchema = z.string().trim().max(1024).url().refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

/** Decimal digits without sign, exponent, radix prefix, spaces or leading zeros: "12", not "012", "1e3", "0x10" or " 12". */
const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * A whole number taken from client input: a JSON number, or its decimal digits as a string (seed 000
 * writes backdb's job_id as a string, "备份任务id"; the user API's clients send user_id either way).
 * Nothing is coerced: Number() on an object calls its toString/valueOf (a non-function toString
 * throws, which the router would report as INTERNAL), and "0x10", "1e400", " 5" or [] would become
 * numbers. Every refusal, whatever the type, is the one sentence `message` ("limit must be a whole
 * number from 1 to 100"), or "is required" when the field is absent.
 */
export function wholeNumberSchema(range: { min: number; max?: number }, message = rangeMessage(range)) {
  const { min, max = Number.MAX_SAFE_INTEGER } = range;
  const errorMap: z.ZodErrorMap = (_issue, ctx) => ({ message: ctx.data === undefined ? 'is required' : message });
  return z.union([z.number(), z.string()], { errorMap }).transform((value, ctx) => {
    const n = typeof value === 'number' ? value : DECIMAL.test(value) ? Number(value) : NaN;
    if (Number.isSafeInteger(n) && !Object.is(n, -0) && n >= min && n <= max) return n;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

function rangeMessage({ min, max }: { min: number; max?: number }): string {
  if (max !== undefined) return `must be a whole number from ${min} to ${max}`;
  return min === 1 ? 'must be a positive whole number' : `must be a whole number of at least ${min}`;
}

/**
 * Where `value` holds a string (or an object key) that is not well-formed UTF-16, i.e. has a lone
 * surrogate, which no UTF-8 text can carry: the dotted path ('' for the value itself), or
 * undefined when all text is well-formed. Iterative, so any nesting depth is safe.
 */
export function findIllFormedText(value: unknown): string | undefined {
  const loneSurrogate = /\p{Cs}/u;
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [current, where] = stack.pop() as [unknown, string];
    if (typeof current === 'string') {
      if (loneSurrogate.test(current)) return where;
    } else if (current && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        const path = where ? `${where}.${key}` : key;
        if (loneSurrogate.test(key)) return where;
        stack.push([child, path]);
      }
    }
  }
  return undefined;
}
