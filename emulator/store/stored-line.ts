// What loading needs from one stored line: whether it is a document, a deletion or one of nedb's
// index markers, the document's `_id`, and the values of its unique fields, read with LineScanner
// (no JSON.parse of the whole document). Same results as parseLine without revival: a date or
// other object value keys the indexes by its stored text either way.
import { LineScanner } from './line-scan';
import { parseLine } from './record-codec';

export type StoredLine = { kind: 'meta' } | { kind: 'delete'; id: unknown } | { kind: 'put'; id: unknown; unique: unknown[] };

const ID = 0;
const DELETED = 1;
const INDEX_CREATED = 2;
const INDEX_REMOVED = 3;
const FIRST_UNIQUE = 4;

export class StoredLineReader {
  private readonly scanner: LineScanner | undefined;

  /** `uniqueFields` may hold dotted paths; those collections fall back to parsing whole lines. */
  constructor(private readonly uniqueFields: readonly string[]) {
    this.scanner = uniqueFields.some((f) => f.includes('.')) ? undefined : new LineScanner(['_id', '$$deleted', '$$indexCreated', '$$indexRemoved', ...uniqueFields]);
  }

  /** Throws a plain Error saying what is wrong with the line (the caller names file and line). */
  read(bytes: Buffer): StoredLine {
    const scanner = this.scanner;
    if (!scanner) return this.readParsed(bytes);
    scanner.scan(bytes);
    if (scanner.has(INDEX_CREATED) || scanner.has(INDEX_REMOVED)) return { kind: 'meta' };
    if (!scanner.has(ID)) throw new Error('a document line has no _id');
    const id = scanner.value(bytes, ID);
    if (scanner.has(DELETED) && scanner.value(bytes, DELETED) === true) return { kind: 'delete', id };
    const unique: unknown[] = [];
    for (let k = 0; k < this.uniqueFields.length; k++) unique.push(scanner.value(bytes, FIRST_UNIQUE + k));
    return { kind: 'put', id, unique };
  }

  private readParsed(bytes: Buffer): StoredLine {
    const entry = parseLine(bytes.toString('utf8'), false);
    if (entry.kind !== 'put') return entry;
    return { kind: 'put', id: entry.doc._id, unique: this.uniqueFields.map((f) => resolve(entry.doc, f)) };
  }
}

function resolve(doc: Record<string, unknown>, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
