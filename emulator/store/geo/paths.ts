// Dotted-path access the geo operators need: reading a field through arrays of subdocuments (as
// MongoDB does for `places.location`), and writing an output field such as `distanceField`.
type Doc = Record<string, unknown>;

/** The value at a dotted path; stepping through an array collects the field of each element. */
export function valueAt(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (Array.isArray(current) && !/^\d+$/.test(key)) {
      current = current.flatMap((item) => {
        const v = valueAt(item, key);
        return v === undefined ? [] : [v];
      });
    } else if (current !== null && typeof current === 'object') {
      current = (current as Doc)[key];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Set a dotted path, creating the objects on the way. */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const keys = path.split('.');
  let target = doc;
  for (const key of keys.slice(0, -1)) {
    const next = target[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) target[key] = {};
    target = target[key] as Doc;
  }
  target[keys[keys.length - 1]!] = value;
}
