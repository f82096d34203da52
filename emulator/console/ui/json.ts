// Parsing what the user typed: a JSON object or a readable reason why it is not one.
import type { JsonObject } from './types';

export type Parsed = { ok: true; value: JsonObject } | { ok: false; error: string };

export function parseObject(text: string, what: string, blankIsEmpty = false): Parsed {
  if (blankIsEmpty && text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${what} is not valid JSON: ${(err as Error).message}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: `${what} must be a JSON object` };
  return { ok: true, value: value as JsonObject };
}

export const pretty = (value: unknown): string => JSON.stringify(value, null, 2) ?? 'undefined';

/** One line, cut to `max` characters, for table cells. */
export function brief(value: unknown, max = 60): string {
  const date = value && typeof value === 'object' && Object.keys(value).length === 1 ? (value as { $date?: unknown }).$date : undefined;
  const text = typeof value === 'string' ? value : typeof date === 'string' ? date : (JSON.stringify(value) ?? '');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
