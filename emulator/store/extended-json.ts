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
const DATE_MARKER = /\{"\$\$date":(-?\d+)\}/g;
/** bson's relaxed range: a Date from 1970-01-01 up to (not including) year 10000. */
const RELAXED_MAX_MS = 253402300800000;

export function storedLineToRelaxedEjson(line: Buffer): Buffer | string {
  if (line.indexOf(MARKER) === -1) return line;
  const text = line.toString('utf8').replace(DATE_MARKER, (_, digits: string) => dateEjson(Number(digits)));
  if (!text.includes('"$$')) return text;
  return EJSON.stringify(decodeDoc(line), { relaxed: true });
}

function dateEjson(ms: number): string {
  if (ms > -1 && ms < RELAXED_MAX_MS) {
    const date = new Date(ms);
    const iso = date.toISOString();
    return `{"$date":"${date.getUTCMilliseconds() !== 0 ? iso : `${iso.slice(0, -5)}Z`}"}`;
  }
  return `{"$date":{"$numberLong":"${ms}"}}`;
}
