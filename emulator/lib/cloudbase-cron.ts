// CloudBase timer cron: 7 fields (second minute hour day month weekday year), Beijing time.
// cron-parser evaluates the first six; the year field is applied here.
import { CronExpressionParser } from 'cron-parser';

export const TIMER_TIMEZONE = 'Asia/Shanghai';

const MIN_YEAR = 1970;
const MAX_YEAR = 2099;
/** Beijing is UTC+8 all year (no daylight saving since 1991). */
const BEIJING_OFFSET_MS = 8 * 3600_000;

export function nextRun(cron: string, after: Date): Date | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 7) throw new Error(`a CloudBase timer needs 7 cron fields, got ${fields.length}: "${cron}"`);
  const years = parseYears(fields[6] as string);
  const sixFields = fields.slice(0, 6).join(' ');
  let from = after;
  for (;;) {
    const next = CronExpressionParser.parse(sixFields, { currentDate: from, tz: TIMER_TIMEZONE }).next().toDate();
    const year = beijingYear(next);
    if (years.includes(year)) return next;
    // Jump straight to the next allowed year instead of stepping through every run in between
    // (a per-second schedule for a year ahead would otherwise take millions of steps).
    const nextYear = years.find((y) => y > year);
    if (nextYear === undefined) return undefined;
    from = new Date(Date.UTC(nextYear, 0, 1) - BEIJING_OFFSET_MS - 1);
  }
}

/** The allowed years, ascending. Accepts `*`, `Y`, `A-B`, and steps (`* /N`, `A/N`, `A-B/N`). */
function parseYears(field: string): number[] {
  const allowed = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|\d{4})(?:-(\d{4}))?(?:\/(\d+))?$/.exec(part);
    if (!match) throw new Error(`invalid cron year field "${field}"`);
    const [, start, end, stepText] = match;
    const low = start === '*' ? MIN_YEAR : Number(start);
    const high = end !== undefined ? Number(end) : start === '*' || stepText ? MAX_YEAR : low;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (low < MIN_YEAR || high > MAX_YEAR || low > high || step < 1) throw new Error(`invalid cron year field "${field}"`);
    for (let y = low; y <= high; y += step) allowed.add(y);
  }
  return [...allowed].sort((a, b) => a - b);
}

function beijingYear(date: Date): number {
  return new Date(date.getTime() + BEIJING_OFFSET_MS).getUTCFullYear();
}
