// formatShanghai against ICU's own Asia/Shanghai rules (Node's Intl, built from IANA tzdata), for
// any instant: the fast path (a fixed UTC+8 from 1992 on) must agree with the zone's history.
import fc from 'fast-check';
import { formatShanghai } from '../../shared/time';
import { fuzz } from '../support/fuzz';

const icu = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const viaIcu = (d: Date) => {
  const p = Object.fromEntries(icu.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
};

describe('formatShanghai', () => {
  it('agrees with ICU for any instant from 1900 to 9999', async () => {
    await fuzz(fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => formatShanghai(d) === viaIcu(d)), 5000);
  });

  it('agrees with ICU around the 1991 end of daylight saving and the fast path boundaries', () => {
    const instants = ['1991-09-14T16:59:59Z', '1991-09-14T17:00:00Z', '1991-12-31T15:59:59Z', '1991-12-31T16:00:00Z', '1992-01-01T00:00:00Z', '9999-12-31T15:59:59Z', '9999-12-31T16:00:00Z'];
    for (const iso of instants) expect([iso, formatShanghai(new Date(iso))]).toEqual([iso, viaIcu(new Date(iso))]);
  });

  it('writes the seeds\' "YYYY-MM-DD HH:mm:ss" in UTC+8 (China Standard Time)', () => {
    expect(formatShanghai(new Date('2026-12-01T16:00:00Z'))).toBe('2026-12-02 00:00:00');
    // PRC daylight saving, 1991-04-14 to 1991-09-15 (tzdata `asia`): UTC+9 then.
    expect(formatShanghai(new Date('1991-07-01T00:00:00Z'))).toBe('1991-07-01 09:00:00');
  });

  it('refuses an invalid date as Intl does', () => {
    expect(() => formatShanghai(new Date(NaN))).toThrow(RangeError);
  });
});
