// Looks a caller-chosen name up in a table of handlers or data by the table's own entries only.
// `table[name]` and `name in table` also find what every object inherits (constructor, toString,
// __proto__, hasOwnProperty, ...): `{"action":"constructor"}` once ran `Object` as a storage
// action and answered with the storage service's internals, signing key included.

export function ownEntry<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

export function hasOwnEntry(table: Readonly<Record<string, unknown>>, name: string): boolean {
  return Object.hasOwn(table, name);
}
