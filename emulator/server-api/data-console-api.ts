// Data screen API: collections with counts and unique indexes; a collection's documents (paged,
// filtered by a MongoDB-style query); add, replace and delete one document. Documents travel as
// relaxed EJSON ({"$date": ...} for dates) so an edit round-trips their types.
import { EJSON } from 'bson';
import { ApiError, pathParam, type ApiTable, type JsonObject } from '../http/api-table';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../http/json-request';
import { assertNoCatastrophicRegex, UnsafeRegexError } from '../lib/regex-guard';
import type { DocumentStore } from '../store/document-store';
import { CodecError, decodeEjson } from './ejson-codec';

const PREFIX = '^/_emulator/console/collections';
const MAX_LIMIT = 200;

const toClient = (doc: unknown): JsonObject => EJSON.serialize(doc as Record<string, unknown>, { relaxed: true }) as JsonObject;

/** Parses EJSON text (a query string parameter) into store values; blank means `{}`. */
function parseParam(name: string, text: string | null): Record<string, unknown> {
  if (text === null || text.trim() === '') return {};
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw new ApiError(400, `${name} nests deeper than ${MAX_JSON_DEPTH} levels`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, `${name} is not valid JSON: ${(err as Error).message}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ApiError(400, `${name} must be a JSON object`);
  return decode(name, json) as Record<string, unknown>;
}

function decode(name: string, value: unknown): unknown {
  try {
    return decodeEjson(JSON.stringify(value), new Date());
  } catch (err) {
    throw new ApiError(400, err instanceof CodecError ? `${name}: ${err.message}` : String(err));
  }
}

function documentFrom(body: Record<string, unknown>): Record<string, unknown> {
  const doc = body.document;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ApiError(400, 'document must be a JSON object');
  return decode('document', doc) as Record<string, unknown>;
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ApiError(400, `${name} must be an integer from ${min} to ${max}`);
  return n;
}

function sortParam(url: URL): Record<string, 1 | -1> {
  const sort = parseParam('sort', url.searchParams.get('sort'));
  for (const [field, dir] of Object.entries(sort)) if (dir !== 1 && dir !== -1) throw new ApiError(400, `sort.${field} must be 1 or -1`);
  return Object.keys(sort).length ? (sort as Record<string, 1 | -1>) : { _id: 1 };
}

export const dataConsoleRoutes = (store: DocumentStore) => ({
  collections: ['GET', new RegExp(`${PREFIX}$`), async () =>
    Promise.all(store.listCollections().map(async (name) => ({ name, count: await store.count(name, {}), uniqueIndexes: store.uniqueFields(name) })))],
  documents: ['GET', new RegExp(`${PREFIX}/([^/]+)/documents$`), async (r) => {
    const { url } = r;
    const name = pathParam(r, 0);
    const filter = parseParam('filter', url.searchParams.get('filter'));
    await assertNoCatastrophicRegex(filter).catch((err: unknown) => {
      throw err instanceof UnsafeRegexError ? new ApiError(400, err.message) : err;
    });
    const sort = sortParam(url);
    const skip = intParam(url, 'skip', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(url, 'limit', 20, 1, MAX_LIMIT);
    const [total, docs] = await Promise.all([store.count(name, filter), store.find(name, filter, { sort, skip, limit })]);
    return { total, skip, limit, documents: docs.map(toClient), uniqueIndexes: store.uniqueFields(name) };
  }],
  addDocument: ['POST', new RegExp(`${PREFIX}/([^/]+)/documents$`), async (r) => {
    const doc = documentFrom(r.body);
    if ('_id' in doc && (typeof doc._id !== 'string' || doc._id === '')) throw new ApiError(400, '_id must be a non-empty string when given');
    const [id] = await store.insert(pathParam(r, 0), [doc]);
    return { id };
  }],
  replaceDocument: ['PUT', new RegExp(`${PREFIX}/([^/]+)/documents/([^/]+)$`), async (r) => {
    const name = pathParam(r, 0);
    const id = pathParam(r, 1);
    const doc = documentFrom(r.body);
    if ('_id' in doc && doc._id !== id) throw new ApiError(400, 'the _id field cannot be changed');
    if ((await store.count(name, { _id: id })) === 0) throw new ApiError(404, `no document ${id} in ${name}`);
    await store.replace(name, id, doc);
    return { id };
  }],
  deleteDocument: ['DELETE', new RegExp(`${PREFIX}/([^/]+)/documents/([^/]+)$`), async (r) => {
    const name = pathParam(r, 0);
    const id = pathParam(r, 1);
    const removed = await store.remove(name, { _id: id }, false);
    if (removed === 0) throw new ApiError(404, `no document ${id} in ${name}`);
    return { removed };
  }],
}) satisfies ApiTable;
