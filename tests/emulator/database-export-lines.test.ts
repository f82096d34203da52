// Exports write each stored line as relaxed Extended JSON without parsing it when it needs no
// conversion (emulator/store/extended-json.ts). The reference is the bson package's
// EJSON.stringify(doc, { relaxed: true }) (MongoDB Extended JSON v2 spec, relaxed mode) of the
// document as the store reads it back: the bytes must be identical.
import { EJSON } from 'bson';
import fc from 'fast-check';
import { fuzz } from '../support/fuzz';
import { relaxedEjsonRoom, writeRelaxedEjson } from '../../emulator/store/extended-json';

function exportLine(stored: Buffer): string {
  const out = Buffer.alloc(relaxedEjsonRoom(stored) + 7, 0x21);
  const end = writeRelaxedEjson(stored, out, 7);
  expect(out.subarray(0, 7).toString()).toBe('!!!!!!!'); // nothing before `at` is touched
  return out.toString('utf8', 7, end);
}
import { decodeDoc, serializeDoc } from '../../emulator/store/record-codec';

const dates = fc.oneof(
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }),
  fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms - (ms % 1000))), // whole seconds: bson drops ".000"
  fc.integer({ min: 0, max: 253402300799999 }).map((ms) => new Date(ms)), // bson's relaxed range, to the last millisecond of 9999
  fc.constantFrom(new Date(0), new Date(-1), new Date(253402300799999), new Date(253402300800000)),
);
const leaf = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null), dates, fc.constant(/a+b/i));
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string().filter((k) => !k.startsWith('$')), tie('value'), { maxKeys: 3 })),
})).value;
const docs = fc.record({ _id: fc.oneof(fc.string(), fc.integer()), a: value, b: value, createdAt: dates });

describe('an export line from a stored line (relaxed Extended JSON, bson as the reference)', () => {
  it('is byte for byte what EJSON.stringify writes for the document, dates and regexes included', async () => {
    await fuzz(
      fc.property(docs, (doc) => {
        const stored = Buffer.from(serializeDoc(doc), 'utf8');
        expect(exportLine(stored)).toBe(EJSON.stringify(decodeDoc(stored), { relaxed: true }));
      }),
      2000,
    );
  });

  it('copies a line without markers unchanged, and rewrites only the date markers of a stored user', () => {
    const plain = '{"_id":"u1","openid":"o1","n":1.5,"tags":["a"],"o":{"x":null}}';
    expect(exportLine(Buffer.from(plain))).toBe(plain);
    const user = '{"_id":"u2","nick":"a\\"{\\"$$date\\":1}","createdAt":{"$$date":1733030811479},"d":[{"$$date":-5}]}';
    expect(exportLine(Buffer.from(user))).toBe('{"_id":"u2","nick":"a\\"{\\"$$date\\":1}","createdAt":{"$date":"2024-12-01T05:26:51.479Z"},"d":[{"$date":{"$numberLong":"-5"}}]}');
  });
});
