// The store loads collection files without JSON.parse (emulator/store/line-scan.ts): each line is
// checked against JSON's grammar (RFC 8259) and only the indexed top-level values are decoded. What
// it accepts and the values it reads must be exactly what JSON.parse accepts and reads.
import fc from 'fast-check';
import { fuzz } from '../support/fuzz';
import { LineScanner } from '../../emulator/store/line-scan';

const WANTED = ['_id', 'openid', 'id', 'nested'];

function scanned(text: string): unknown[] {
  const scanner = new LineScanner(WANTED);
  const bytes = Buffer.from(text, 'utf8');
  scanner.scan(bytes);
  return WANTED.map((_, k) => scanner.value(bytes, k));
}

function parsedObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const objects = fc.dictionary(fc.constantFrom(...WANTED, 'other', 'a"b', 'é\\'), fc.jsonValue(), { maxKeys: 6 });

describe('reading stored lines without JSON.parse (RFC 8259 grammar, JSON.parse as the reference)', () => {
  it('reads the same top-level values as JSON.parse from any JSON object line', async () => {
    await fuzz(
      fc.property(objects, (obj) => {
        const text = JSON.stringify(obj);
        const reference = JSON.parse(text) as Record<string, unknown>;
        expect(scanned(text)).toEqual(WANTED.map((k) => reference[k]));
      }),
      500,
    );
  });

  it('refuses every cut of a line (what a crash mid-write leaves), as JSON.parse does', async () => {
    await fuzz(
      fc.property(objects, fc.nat(), (obj, at) => {
        const text = JSON.stringify(obj);
        const cut = text.slice(0, at % text.length);
        expect(parsedObject(cut)).toBeUndefined();
        expect(() => scanned(cut)).toThrow();
      }),
      500,
    );
  });

  it('accepts a line exactly when JSON.parse reads it as an object, for mutated lines', async () => {
    const mutations = fc.tuple(objects, fc.nat(), fc.constantFrom('', '"', '\\', '{', '}', '[', ']', ',', ':', '1', '-', '.', 'e', 't', 'n', ' ', '\u0001', 'x'), fc.nat(3));
    await fuzz(
      fc.property(mutations, ([obj, at, insert, removed]) => {
        const text = JSON.stringify(obj);
        const where = at % (text.length + 1);
        const mutated = text.slice(0, where) + insert + text.slice(where + removed);
        const reference = parsedObject(mutated);
        if (reference) expect(scanned(mutated)).toEqual(WANTED.map((k) => reference[k]));
        else expect(() => scanned(mutated)).toThrow();
      }),
      3000,
    );
  });

  it('refuses a line that is not one object: an array, a number, trailing text', () => {
    for (const text of ['[1]', '1', '"s"', 'null', '{"_id":"a"} x', '{"_id":"a"}{}', '{"_id":01}', '{"_id":1.}', '{"_id":tru}', '{"_id":"a",}']) {
      expect(parsedObject(text)).toBeUndefined();
      expect(() => scanned(text)).toThrow();
    }
  });
});
