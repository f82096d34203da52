// CloudBase timer cron: 7 fields (second minute hour day month weekday year), Beijing time.
// cron-parser evaluates the first six; the year field is checked here.
import { CronExpressionParser } from 'cron-parser';

export const TIMER_TIMEZONE = 'Asia/Shanghai';

export function nextRun(cron: string, after: Date): Date | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 7) throw new Error(`a CloudBase timer needs 7 cron fields, got ${fields.length}: "${cron}"`);
  const year = fields[6] as string;
  const expression = CronExpressionParser.parse(fields.slice(0, 6).join(' '), { currentDate: after, tz: TIMER_TIMEZONE });
  for (let i = 0; i < 10_000; i++) {
    const next = expression.next().toDate();
    if (yearMatches(year, next)) return next;
    if (next.getUTCFullYear() > 2099) return undefined;
  }
  return undefined;
}

function yearMatches(field: string, date: Date): boolean {
  if (field === '*') return true;
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: TIMER_TIMEZONE, year: 'numeric' }).format(date));
  return field.split(',').some((part) => {
    const [range, stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    const [lo, hi] = range === '*' ? [1970, 2099] : (range as string).split('-').map(Number);
    const low = lo as number;
    const high = hi ?? (stepText ? 2099 : low);
    return year >= low && year <= high && (year - low) % step === 0;
  });
}
