// Aggregation expression operators where mingo 7.2.6 departs from MongoDB, as overrides registered
// in the aggregation's mingo Context. Each one cites the MongoDB manual rule it restores; anything
// else is delegated to mingo's own operator.
import { evalExpr } from 'mingo/core';
import * as mingoExpressions from 'mingo/operators/expression';
import { fromIsoWeek, fromWallClock, isoWeek, isoWeekYear, sundayWeek, wallClock } from './aggregation-dates';
import { DatabaseError } from './database-error';

type Options = Parameters<typeof evalExpr>[2];
type ExpressionOperator = (obj: unknown, expr: unknown, options: Options) => unknown;

const original = mingoExpressions as unknown as Record<string, ExpressionOperator>;
const literal = (value: unknown) => ({ $literal: value });

/** `<date>`, `[<date>]` or `{ date, timezone }`, evaluated; null for a null/missing date. */
function dateArgument(op: string, obj: unknown, expr: unknown, options: Options): { wall: Date } | null {
  let dateExpr = expr;
  let zoneExpr: unknown;
  if (Array.isArray(expr) && expr.length === 1) dateExpr = expr[0];
  else if (expr !== null && typeof expr === 'object' && !Array.isArray(expr) && !(expr instanceof Date) && 'date' in expr) {
    ({ date: dateExpr, timezone: zoneExpr } = expr as { date: unknown; timezone?: unknown });
  }
  const date = evalExpr(obj, dateExpr, options);
  if (date === null || date === undefined) return null;
  if (!(date instanceof Date)) throw new DatabaseError('DATABASE_REQUEST_FAILED', `${op}: can't convert from BSON type ${typeName(date)} to Date`);
  const timezone = zoneExpr === undefined ? undefined : evalExpr(obj, zoneExpr, options);
  if (timezone !== undefined && timezone !== null && typeof timezone !== 'string') throw new DatabaseError('DATABASE_REQUEST_FAILED', `${op}: timezone must evaluate to a string`);
  return { wall: wallClock(date, (timezone ?? undefined) as string | undefined) };
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/** MongoDB $week: the week of the year as strftime %U (Sunday-based; 0 before the first Sunday). */
const $week: ExpressionOperator = (obj, expr, options) => {
  const arg = dateArgument('$week', obj, expr, options);
  return arg && sundayWeek(arg.wall);
};

/** MongoDB $isoWeek / $isoWeekYear: ISO 8601 week and week-numbering year (the Thursday rule). */
const $isoWeek: ExpressionOperator = (obj, expr, options) => {
  const arg = dateArgument('$isoWeek', obj, expr, options);
  return arg && isoWeek(arg.wall);
};
const $isoWeekYear: ExpressionOperator = (obj, expr, options) => {
  const arg = dateArgument('$isoWeekYear', obj, expr, options);
  return arg && isoWeekYear(arg.wall);
};

/** $dateToString: %U, %V and %G are filled in here (mingo's differ from strftime/ISO), the rest by mingo. */
const $dateToString: ExpressionOperator = (obj, expr, options) => {
  const spec = expr as { date?: unknown; format?: unknown; timezone?: unknown } | null;
  if (spec && typeof spec === 'object' && typeof spec.format === 'string' && /%[UVG]/.test(spec.format)) {
    const arg = dateArgument('$dateToString', obj, { date: spec.date, timezone: spec.timezone }, options);
    if (arg) {
      const pad = (n: number, width: number) => String(n).padStart(width, '0');
      const format = spec.format.replace(/%(.)/g, (all, c: string) =>
        c === 'U' ? pad(sundayWeek(arg.wall), 2) : c === 'V' ? pad(isoWeek(arg.wall), 2) : c === 'G' ? pad(isoWeekYear(arg.wall), 4) : all,
      );
      return original.$dateToString!(obj, { ...spec, format }, options);
    }
  }
  return original.$dateToString!(obj, expr, options);
};

/**
 * $substr / $substrBytes: MongoDB takes a negative length as "to the end of the string" (manual,
 * $substr: "If <length> is a negative number, $substr returns a substring that starts at the
 * specified index and includes the rest of the string").
 */
function substrToEnd(name: '$substr' | '$substrBytes'): ExpressionOperator {
  return (obj, expr, options) => {
    if (Array.isArray(expr) && expr.length === 3) {
      const [value, start, length] = expr.map((e) => evalExpr(obj, e, options));
      if (typeof length === 'number' && length < 0 && typeof value === 'string' && typeof start === 'number') {
        return original[name]!(obj, [literal(value), start, Math.max(0, Buffer.byteLength(value) - start)], options);
      }
      return original[name]!(obj, [literal(value), literal(start), literal(length)], options);
    }
    return original[name]!(obj, expr, options);
  };
}

/**
 * $indexOfCP / $indexOfBytes: [string, substring, start?, end?] → the index of the first match in
 * code points / UTF-8 bytes, or -1; null for a null or missing string (MongoDB manual). mingo has
 * no $indexOfCP, and its $indexOfBytes counts UTF-16 units.
 */
function indexOf(op: '$indexOfCP' | '$indexOfBytes'): ExpressionOperator {
  const units = op === '$indexOfCP' ? (s: string) => Array.from(s) : (s: string) => [...Buffer.from(s, 'utf8')];
  return (obj, expr, options) => {
    if (!Array.isArray(expr) || expr.length < 2 || expr.length > 4) throw new DatabaseError('DATABASE_REQUEST_FAILED', `${op} requires 2 to 4 arguments`);
    const [value, search, start, end] = expr.map((e) => evalExpr(obj, e, options));
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string') throw new DatabaseError('DATABASE_REQUEST_FAILED', `${op} requires a string as the first argument, found: ${typeName(value)}`);
    if (typeof search !== 'string') throw new DatabaseError('DATABASE_REQUEST_FAILED', `${op} requires a string as the second argument, found: ${typeName(search)}`);
    const hay: unknown[] = units(value);
    const wanted: unknown[] = units(search);
    const from = index(op, 'starting', start, 0);
    const to = Math.min(index(op, 'ending', end, hay.length), hay.length);
    for (let i = from; i + wanted.length <= to; i++) {
      if (wanted.every((c, j) => hay[i + j] === c)) return i;
    }
    return -1;
  };
}

function index(op: string, which: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new DatabaseError('DATABASE_REQUEST_FAILED', `${op} requires an integral ${which} index, found a value of type: ${typeName(value)}`);
  if (value < 0) throw new DatabaseError('DATABASE_REQUEST_FAILED', `${op} requires a nonnegative ${which} index, found: ${value}`);
  return value;
}

/** $trunc takes `<number>` (CloudBase's `$.trunc(x)`) as well as `[<number>, <place>]`. */
const $trunc: ExpressionOperator = (obj, expr, options) =>
  original.$trunc!(obj, Array.isArray(expr) ? (expr.length === 1 ? [expr[0], 0] : expr) : [expr, 0], options);

/** $dateFromString: an ISO 8601 string with its own UTC offset ("2019-05-14T10:00:00+08:00"). */
const $dateFromString: ExpressionOperator = (obj, expr, options) => {
  const spec = expr as { dateString?: unknown; format?: unknown; timezone?: unknown } | null;
  if (spec && typeof spec === 'object' && spec.format === undefined) {
    const text = evalExpr(obj, spec.dateString, options);
    if (typeof text === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?[+-]\d{2}:?\d{2}$/.test(text)) {
      if (spec.timezone !== undefined) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$dateFromString: you cannot pass in a date/time string with GMT offset together with a timezone argument');
      return new Date(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    }
  }
  return original.$dateFromString!(obj, expr, options);
};

/** $dateFromParts with isoWeekYear / isoWeek / isoDayOfWeek (mingo ignores the ISO form). */
const $dateFromParts: ExpressionOperator = (obj, expr, options) => {
  const spec = expr as Record<string, unknown> | null;
  if (!spec || typeof spec !== 'object' || !('isoWeekYear' in spec)) return original.$dateFromParts!(obj, expr, options);
  if ('year' in spec || 'month' in spec || 'day' in spec) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$dateFromParts: use either isoWeekYear or year, not both');
  const part = (name: string, fallback: number) => {
    const v = spec[name] === undefined ? fallback : evalExpr(obj, spec[name], options);
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new DatabaseError('DATABASE_REQUEST_FAILED', `$dateFromParts: '${name}' must evaluate to an integer`);
    return v;
  };
  const day = fromIsoWeek(part('isoWeekYear', 0), part('isoWeek', 1), part('isoDayOfWeek', 1));
  const wall = new Date(day.getTime() + ((part('hour', 0) * 60 + part('minute', 0)) * 60 + part('second', 0)) * 1000 + part('millisecond', 0));
  const timezone = spec.timezone === undefined ? undefined : evalExpr(obj, spec.timezone, options);
  return fromWallClock(wall, typeof timezone === 'string' ? timezone : undefined);
};

export const EXPRESSION_OVERRIDES: Record<string, ExpressionOperator> = {
  $week,
  $isoWeek,
  $isoWeekYear,
  $dateToString,
  $substr: substrToEnd('$substr'),
  $substrBytes: substrToEnd('$substrBytes'),
  $indexOfCP: indexOf('$indexOfCP'),
  $indexOfBytes: indexOf('$indexOfBytes'),
  $trunc,
  $dateFromString,
  $dateFromParts,
};
