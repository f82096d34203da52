// `$jsonSchema` (db.command.jsonSchema) as MongoDB defines it: JSON Schema draft 4 without $ref,
// $schema, default, definitions, format and id, plus the `bsonType` keyword (MongoDB manual,
// "$jsonSchema": "Available Keywords" and "Omissions"). Validation itself is ajv's.
import type { ValidateFunction } from 'ajv';
import { DatabaseError } from './database-error';
import { onFirstUse } from '../lib/on-first-use';
import { hasOwnEntry, ownEntry } from '../lib/own-entry';

const KEYWORDS = new Set([
  'bsonType', 'additionalItems', 'additionalProperties', 'allOf', 'anyOf', 'dependencies', 'description', 'enum',
  'exclusiveMaximum', 'exclusiveMinimum', 'items', 'maximum', 'maxItems', 'maxLength', 'maxProperties', 'minimum',
  'minItems', 'minLength', 'minProperties', 'multipleOf', 'not', 'oneOf', 'pattern', 'patternProperties', 'properties',
  'required', 'title', 'type', 'uniqueItems',
]);
/** Keywords whose value is a schema, or a map or list of schemas, to check recursively. */
const SUBSCHEMA = new Set(['additionalItems', 'additionalProperties', 'not', 'items']);
const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependencies']);
const SUBSCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp);

const BSON_TYPES: Record<string, (v: unknown) => boolean> = {
  double: (v) => typeof v === 'number',
  number: (v) => typeof v === 'number',
  int: (v) => Number.isInteger(v),
  long: (v) => Number.isInteger(v),
  decimal: (v) => typeof v === 'number',
  string: (v) => typeof v === 'string',
  object: isPlainObject,
  array: Array.isArray,
  bool: (v) => typeof v === 'boolean',
  date: (v) => v instanceof Date,
  null: (v) => v === null,
  regex: (v) => v instanceof RegExp,
};

const ajv = onFirstUse(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  const instance = new Ajv({ strict: false, allErrors: false, validateSchema: true });
  instance.addKeyword({
    keyword: 'bsonType',
    schemaType: ['string', 'array'],
    validate: (types: string | string[], data: unknown) => (Array.isArray(types) ? types : [types]).some((t) => ownEntry(BSON_TYPES, t)?.(data) ?? false),
  });
  return instance;
});

const compiled = new WeakMap<object, ValidateFunction>();

/** mingo's `jsonSchemaValidator` option: a schema in, a predicate out. */
export function jsonSchemaValidator(schema: Record<string, unknown>): (doc: unknown) => boolean {
  let validate = compiled.get(schema);
  if (!validate) {
    assertMongoSchema(schema, '$jsonSchema');
    try {
      validate = ajv().compile(toDraft7(schema) as Record<string, unknown>);
    } catch (err) {
      throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `$jsonSchema is invalid: ${(err as Error).message}`);
    }
    compiled.set(schema, validate);
  }
  const v = validate;
  return (doc) => v(doc) === true;
}

function assertMongoSchema(schema: unknown, at: string): void {
  if (!isPlainObject(schema)) throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `${at} must be an object`);
  for (const [keyword, value] of Object.entries(schema)) {
    if (!KEYWORDS.has(keyword)) throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `$jsonSchema keyword '${keyword}' is not currently supported`);
    if (keyword === 'bsonType') {
      for (const t of Array.isArray(value) ? value : [value]) if (typeof t !== 'string' || !hasOwnEntry(BSON_TYPES, t)) throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `$jsonSchema bsonType '${String(t)}' is not supported by the local emulator`);
    }
    if (SUBSCHEMA.has(keyword) && isPlainObject(value)) assertMongoSchema(value, `${at}.${keyword}`);
    if (SUBSCHEMA.has(keyword) && Array.isArray(value)) value.forEach((s, i) => assertMongoSchema(s, `${at}.${keyword}.${i}`));
    if (SUBSCHEMA_MAPS.has(keyword) && isPlainObject(value)) for (const [k, s] of Object.entries(value)) if (isPlainObject(s)) assertMongoSchema(s, `${at}.${keyword}.${k}`);
    if (SUBSCHEMA_LISTS.has(keyword) && Array.isArray(value)) value.forEach((s, i) => assertMongoSchema(s, `${at}.${keyword}.${i}`));
  }
}

/** Draft 4's boolean exclusiveMaximum/exclusiveMinimum become draft 7's numeric bounds. */
function toDraft7(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toDraft7);
  if (!isPlainObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'enum' || k === 'required' || k === 'bsonType' || k === 'type') out[k] = v;
    else out[k] = toDraft7(v);
  }
  for (const [flag, bound] of [['exclusiveMaximum', 'maximum'], ['exclusiveMinimum', 'minimum']] as const) {
    if (typeof out[flag] === 'boolean') {
      if (out[flag] === true && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else delete out[flag];
    }
  }
  return out;
}
