// Field formats shared by the APIs.
import { z } from 'zod';

export const openidSchema = z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, 'must be an openid');
export const nicknameSchema = z.string().trim().min(1, 'must be 1-32 characters').max(32, 'must be 1-32 characters');
export const httpUrlSchema = z.string().trim().max(1024).url().refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

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
