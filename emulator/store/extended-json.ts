// A stored line as the line CloudBase's JSON export writes: relaxed Extended JSON, as
// EJSON.stringify(doc, { relaxed: true }) of the bson package gives it. Most stored lines already
// are exactly that (the store writes JSON.stringify output; relaxed EJSON leaves strings, finite
// numbers, booleans, null, arrays and objects as JSON has them), except for the store's date
// markers {"$$date": ms}, which become {"$date": "<ISO>"} (or {"$date": {"$numberLong"}} outside
// years 1970-9999, as bson does). A marker cannot occur inside a string (its quotes would be
// escaped) nor as user data (stored field names never start with `$`). Lines with any other
// marker ($$regex) go through bson. Exporting 1M users this way skips a JSON.parse and an
// EJSON.stringify per document.
import { EJSON } from 'bson';
import { decodeDoc } from './record-codec';

const MARKER = Buffer.from('"$$');
const DATE_KEY = Buffer.from('{"$$date":');
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** bson's relaxed range: a Date from 1970-01-01 up to (not including) year 10000. */
const RELAXED_MAX_MS = 253402300800000;

/** Room `out` needs after `at` for writeRelaxedEjson(line): a 13-byte date marker grows to at most 35 bytes. */
export const relaxedEjsonRoom = (line: Buffer) => line.length * 3;

/**
 * Writes `line`'s export form into `out` at `at` (with relaxedEjsonRoom(line) bytes free) and
 * returns where it ends. Works on the bytes: a line is copied, its date markers replaced.
 */
export function writeRelaxedEjson(line: Buffer, out: Buffer, at: number): number {
  let marker = line.indexOf(MARKER);
  if (marker === -1) return at + line.copy(out, at);
  const start = at;
  let copied = 0;
  while (marker !== -1) {
    const open = marker - 1;
    if (line[open] !== OPEN_BRACE || !sameBytes(line, open, DATE_KEY)) return start + out.write(viaBson(line), start, 'utf8');
    let i = open + DATE_KEY.length;
    const negative = line[i] === MINUS;
    if (negative) i++;
    let ms = 0;
    const digits = i;
    for (let c = line[i]; c !== undefined && c >= ZERO && c <= NINE; c = line[++i]) ms = ms * 10 + (c - ZERO);
    if (i === digits || i - digits > 15 || line[i] !== CLOSE_BRACE) return start + out.write(viaBson(line), start, 'utf8');
    at += line.copy(out, at, copied, open);
    at += out.write(dateEjson(negative ? -ms : ms), at, 'latin1');
    copied = i + 1;
    marker = line.indexOf(MARKER, copied);
  }
  return at + line.copy(out, at, copied);
}

function sameBytes(line: Buffer, at: number, key: Buffer): boolean {
  for (let k = 0; k < key.length; k++) if (line[at + k] !== key[k]) return false;
  return true;
}

function viaBson(line: Buffer): string {
  return EJSON.stringify(decodeDoc(line), { relaxed: true });
}

let lastMs = NaN;
let lastEjson = '';

function dateEjson(ms: number): string {
  if (ms === lastMs) return lastEjson; // createdAt and updatedAt are often the same instant
  lastMs = ms;
  lastEjson = ms > -1 && ms < RELAXED_MAX_MS ? `{"$date":"${isoString(ms)}"}` : `{"$date":{"$numberLong":"${ms}"}}`;
  return lastEjson;
}

/** bson's ISO form of a date in 1970-9999 (toISOString, without ".000" for whole seconds), by arithmetic: a Date and its toISOString cost 1.3 µs. */
function isoString(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${year}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}${millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`}Z`;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));
