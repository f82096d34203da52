// Promise-only types for the part of wx-server-sdk's collection API we use. The SDK's own typings
// mix callback overloads into every return type (`Promise<T> | void | string`).
import type { Database } from '../platform';

export type Data = Record<string, unknown>;

export interface DocRef {
  get(): Promise<{ data: Data | null }>;
  set(options: { data: Data }): Promise<{ _id?: string; stats: { updated: number; created?: number } }>;
  update(options: { data: Data }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface Query {
  where(query: Data): Query;
  orderBy(field: string, direction: 'asc' | 'desc'): Query;
  skip(n: number): Query;
  limit(n: number): Query;
  field(projection: Record<string, boolean>): Query;
  get(): Promise<{ data: Data[] }>;
  count(): Promise<{ total: number }>;
  update(options: { data: Data }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface Collection extends Query {
  doc(id: string): DocRef;
  add(options: { data: Data }): Promise<{ _id: string }>;
}

export function collection(db: Database, name: string): Collection {
  return db.collection(name) as unknown as Collection;
}
