// One collection in memory: each document kept as its stored line's UTF-8 bytes (about the size of
// the file, a third of what parsed objects cost), in a Map whose iteration order is the insertion
// order (MongoDB's natural order: an update keeps a document's place, a re-insert goes last).
// `_id` and every unique field have a hash index, so equality on them reads one document.
import { decodeDoc, serializeValue, type StoredDoc } from './record-codec';

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

  constructor(uniqueFields: readonly string[]) {
    for (const field of uniqueFields) this.unique.set(field, new Map());
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
