// One collection in memory: each document kept as its stored line's UTF-8 bytes (about the size of
// the file, a third of what parsed objects cost), in a Map whose iteration order is the insertion
// order (MongoDB's natural order: an update keeps a document's place, a re-insert goes last).
// `_id` and every unique field have a hash index, so equality on them reads one document.
import { decodeDoc, serializeValue, type StoredDoc } from './record-codec';
import { StoredLineReader, type StoredLine } from './stored-line';

/** The index key of an absent or null value (MongoDB indexes a missing field as null). */
const NULL_KEY = Symbol('null');

export type IdKey = string | number;

export function idKey(id: unknown): IdKey {
  if (typeof id === 'string') return id;
  if (typeof id === 'number') return Object.is(id, -0) ? 0 : id;
  // Other types (objects, dates, booleans) cannot collide with a string key: none starts with NUL.
  return `\u0000${serializeValue(id)}`;
}

export class UniqueViolation extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
  ) {
    super(`E11000 duplicate key error: DATABASE_DUPLICATE_WRITE, index: ${field}_1 dup key: { ${field}: ${JSON.stringify(value) ?? 'null'} }`);
  }
}

export class CollectionState {
  readonly docs = new Map<IdKey, Buffer>();
  private readonly unique = new Map<string, Map<unknown, IdKey>>();

  private readonly loadFields: readonly string[];
  private readonly lineReader: StoredLineReader;

  constructor(uniqueFields: readonly string[]) {
    for (const field of uniqueFields) this.unique.set(field, new Map());
    this.loadFields = [...uniqueFields];
    this.lineReader = new StoredLineReader(this.loadFields);
  }

  /**
   * Replays one stored line at load without parsing the document (see stored-line.ts); returns how
   * many file lines it made dead. Throws a plain Error saying what is wrong with the line.
   */
  load(bytes: Buffer): number {
    let line: StoredLine;
    try {
      line = this.lineReader.read(bytes);
    } catch (err) {
      throw new Error(`corrupt line (${(err as Error).message})`);
    }
    if (line.kind === 'meta') return 1;
    const key = idKey(line.id);
    if (line.kind === 'delete') return this.unindexLoaded(key, true) ? 2 : 1;
    if (this.unindexLoaded(key, false)) {
      this.indexLoaded(key, line.unique);
      this.docs.set(key, bytes); // keeps its place, as an update does
      return 1;
    }
    this.indexLoaded(key, line.unique);
    this.docs.set(key, bytes);
    return 0;
  }

  /** Adds a loaded document's unique keys; a key another document holds breaks the index. */
  private indexLoaded(key: IdKey, values: unknown[]): void {
    for (let f = 0; f < this.loadFields.length; f++) {
      const index = this.unique.get(this.loadFields[f]!)!;
      const value = values[f];
      if (value === null || value === undefined || Array.isArray(value)) {
        for (const k of valueKeys(value)) this.indexKey(index, f, k, key);
      } else this.indexKey(index, f, idKey(value), key);
    }
  }

  private indexKey(index: Map<unknown, IdKey>, field: number, k: unknown, key: IdKey): void {
    // One hash operation: no index entry points to `key` here, so a key that does not grow the
    // index belongs to another document (the load stops, so overwriting it is harmless).
    const size = index.size;
    index.set(k, key);
    if (index.size === size) throw new Error(`this document breaks the unique index on ${this.loadFields[field]}`);
  }

  /** Removes a loaded document's unique keys (read from its bytes) and, with `remove`, the document; false when absent. */
  private unindexLoaded(key: IdKey, remove: boolean): boolean {
    const bytes = this.docs.get(key);
    if (!bytes) return false;
    const line = this.lineReader.read(bytes);
    if (line.kind === 'put') {
      this.loadFields.forEach((field, f) => {
        const index = this.unique.get(field)!;
        for (const k of valueKeys(line.unique[f])) if (index.get(k) === key) index.delete(k);
      });
    }
    if (remove) this.docs.delete(key);
    return true;
  }

  get size(): number {
    return this.docs.size;
  }

  read(key: IdKey): StoredDoc | undefined {
    const bytes = this.docs.get(key);
    return bytes ? decodeDoc(bytes) : undefined;
  }

  /** The document key a unique field's value points to (undefined: no such document, or no index). */
  lookupUnique(field: string, value: unknown): IdKey | undefined | null {
    const index = this.unique.get(field);
    if (!index) return null;
    return index.get(valueKeys(value)[0]);
  }

  dropUniqueIndex(field: string): void {
    this.unique.delete(field);
  }

  get uniqueIndexes(): string[] {
    return [...this.unique.keys()];
  }

  hasUniqueIndex(field: string): boolean {
    return this.unique.has(field);
  }

  /** Throws UniqueViolation when `doc` (replacing the document at `self`, if any) would break a unique index. */
  assertUnique(doc: StoredDoc, self?: IdKey, pending?: ReadonlyMap<string, Set<unknown>>): void {
    for (const [field, index] of this.unique) {
      const value = resolvePath(doc, field);
      for (const k of valueKeys(value)) {
        const owner = index.get(k);
        if ((owner !== undefined && owner !== self) || pending?.get(field)?.has(k)) throw new UniqueViolation(field, value ?? null);
      }
    }
  }

  /** The unique keys a document holds, to check a batch against itself. */
  uniqueKeysOf(doc: StoredDoc): Map<string, unknown[]> {
    return new Map([...this.unique.keys()].map((field) => [field, valueKeys(resolvePath(doc, field))]));
  }

  /** Stores a document's bytes under its key, keeping its place if it exists, and reindexes it. */
  put(key: IdKey, doc: StoredDoc, bytes: Buffer): void {
    const previous = this.docs.get(key);
    if (previous && this.unique.size > 0) this.unindex(key, decodeDoc(previous));
    this.docs.set(key, bytes);
    for (const [field, index] of this.unique) for (const k of valueKeys(resolvePath(doc, field))) index.set(k, key);
  }

  delete(key: IdKey): StoredDoc | undefined {
    const bytes = this.docs.get(key);
    if (!bytes) return undefined;
    const doc = decodeDoc(bytes);
    this.unindex(key, doc);
    this.docs.delete(key);
    return doc;
  }

  private unindex(key: IdKey, doc: StoredDoc): void {
    for (const [field, index] of this.unique) {
      for (const k of valueKeys(resolvePath(doc, field))) if (index.get(k) === key) index.delete(k);
    }
  }
}

/** The keys a value occupies in a unique index: each element of an array (multikey), null for absent. */
function valueKeys(value: unknown): unknown[] {
  if (value === undefined || value === null) return [NULL_KEY];
  if (Array.isArray(value)) return value.length === 0 ? [NULL_KEY] : [...new Set(value.map((v) => (v === null ? NULL_KEY : idKey(v))))];
  return [idKey(value)];
}

/** A dotted path's value through nested objects (unique indexes are declared on plain paths). */
export function resolvePath(doc: Record<string, unknown>, path: string): unknown {
  if (!path.includes('.')) return doc[path];
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
