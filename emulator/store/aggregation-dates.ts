// Calendar arithmetic for the aggregation date operators where mingo 7.2.6 departs from MongoDB:
// $week (strftime %U), $isoWeekYear, $dateFromParts with ISO fields. Dates are evaluated in a
// timezone given as an Olson name ("Asia/Shanghai") or a UTC offset ("+08:00", "+0800", "+08").
import { DatabaseError } from './database-error';

const DAY_MS = 86_400_000;

/** A Date whose UTC fields read as the wall-clock time of `date` in `timezone`. */
export function wallClock(date: Date, timezone: string | undefined): Date {
  return new Date(date.getTime() + offsetMs(date, timezone));
}

/** The UTC instant whose wall-clock time in `timezone` is `wall` (given as UTC fields). */
export function fromWallClock(wall: Date, timezone: string | undefined): Date {
  const guess = new Date(wall.getTime() - offsetMs(wall, timezone));
  return new Date(wall.getTime() - offsetMs(guess, timezone));
}

/** strftime %U: weeks start on Sunday; days before the year's first Sunday are week 0. */
export function sundayWeek(wall: Date): number {
  return Math.floor((dayOfYear0(wall) + 7 - wall.getUTCDay()) / 7);
}

/** ISO 8601 week-numbering year: the year of the Thursday of the date's week. */
export function isoWeekYear(wall: Date): number {
  return thursdayOf(wall).getUTCFullYear();
}

/** ISO 8601 week number (1..53). */
export function isoWeek(wall: Date): number {
  return Math.floor(dayOfYear0(thursdayOf(wall)) / 7) + 1;
}

/** The wall-clock date of ISO year/week/day (Monday = 1), as UTC fields. */
export function fromIsoWeek(year: number, week: number, day: number): Date {
  const jan4 = Date.UTC(year, 0, 4);
  const isoDayOfJan4 = ((new Date(jan4).getUTCDay() + 6) % 7) + 1;
  const mondayOfWeek1 = jan4 - (isoDayOfJan4 - 1) * DAY_MS;
  return new Date(mondayOfWeek1 + ((week - 1) * 7 + (day - 1)) * DAY_MS);
}

function thursdayOf(wall: Date): Date {
  const isoDay = ((wall.getUTCDay() + 6) % 7) + 1;
  return new Date(wall.getTime() + (4 - isoDay) * DAY_MS);
}

function dayOfYear0(wall: Date): number {
  return Math.floor((Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()) - Date.UTC(wall.getUTCFullYear(), 0, 1)) / DAY_MS);
}

function offsetMs(date: Date, timezone: string | undefined): number {
  if (timezone === undefined || timezone === 'UTC' || timezone === 'GMT' || timezone === 'Z') return 0;
  const fixed = /^([+-])(\d{2}):?(\d{2})?$/.exec(timezone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)) * 60_000;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(date);
  } catch {
    throw new DatabaseError('DATABASE_REQUEST_FAILED', `unrecognized time zone identifier: "${timezone}"`);
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(date.getTime() / 1000) * 1000;
}
