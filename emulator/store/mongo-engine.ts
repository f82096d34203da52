// The one MongoDB-semantics engine of the emulated database: mingo, configured once here, evaluates
// every query, projection, sort, update and aggregation pipeline. What mingo gets wrong is replaced
// (query-fidelity.ts); what it cannot do fails with DATABASE_INVALID_OPERRATOR naming the operator.
// The geo operators (geo/) and the aggregation expression and stage overrides (aggregation-*.ts)
// are part of it from the start; more plug in through `registerOperators`.
import { Aggregator, ComputeOptions, Context, ProcessingMode, Query, operatorModules, update as mingoUpdate, type Options } from './mingo-modules';
import { EXPRESSION_OVERRIDES } from './aggregation-expressions';
import { STAGE_OVERRIDES } from './aggregation-stages';
import { DatabaseError } from './database-error';
import { GEO_PIPELINE_OPERATORS, GEO_QUERY_OPERATORS } from './geo';
import { jsonSchemaValidator } from './json-schema';
import { fidelityProjectionOperators, fidelityQueryOperators } from './query-fidelity';
import { assertUpdateApplies } from './update-validation';

type Doc = Record<string, unknown>;
type OperatorMap = Record<string, (...args: never[]) => unknown>;
export type OperatorKind = 'query' | 'projection' | 'pipeline' | 'expression' | 'accumulator' | 'window';

const operators: Record<OperatorKind, OperatorMap> = {
  query: { ...fidelityQueryOperators(), ...GEO_QUERY_OPERATORS } as unknown as OperatorMap,
  projection: fidelityProjectionOperators() as unknown as OperatorMap,
  pipeline: { ...operatorModules.pipeline, ...STAGE_OVERRIDES, ...GEO_PIPELINE_OPERATORS } as unknown as OperatorMap,
  expression: { ...operatorModules.expression, ...EXPRESSION_OVERRIDES } as unknown as OperatorMap,
  accumulator: { ...operatorModules.accumulator },
  window: { ...operatorModules.window },
};

/** Query operators MongoDB has that no registered operator implements yet (refused as unsupported, not unknown). */
const MONGODB_QUERY_OPERATORS = ['$text'];

let context = buildContext();
let shared = ComputeOptions.init(engineOptions());

function buildContext(): Context {
  return Context.init(operators as never);
}

/**
 * The extension point: adds (or replaces) operators of the engine, e.g. `$geoWithin`,
 * `$geoIntersects`, `$nearSphere` as `query`, and `$geoNear` as `pipeline`. Operators follow mingo's
 * signatures (a query operator is `(selector, value, options) => (doc) => boolean`).
 */
export function registerOperators(extra: Partial<Record<OperatorKind, Record<string, unknown>>>): void {
  for (const [kind, ops] of Object.entries(extra) as Array<[OperatorKind, Record<string, unknown>]>) {
    Object.assign(operators[kind], ops);
  }
  context = buildContext();
  shared = ComputeOptions.init(engineOptions());
}

/** The options every mingo call gets; `collectionResolver` for stages that read other collections. */
export function engineOptions(extra: Partial<Options> = {}): Options {
  return {
    idKey: '_id',
    processingMode: ProcessingMode.CLONE_OFF,
    useStrictMode: true,
    scriptEnabled: false,
    failOnError: true,
    jsonSchemaValidator,
    ...extra,
    context,
  } as Options;
}

/** Compiles a query (filter) into a predicate; malformed or unsupported queries throw DatabaseError. */
export function compileQuery(query: unknown): (doc: Doc) => boolean {
  if (query === undefined || query === null) return () => true;
  if (typeof query !== 'object' || Array.isArray(query) || query instanceof Date || query instanceof RegExp) {
    throw new DatabaseError('INVALID_PARAM', 'query must be an object');
  }
  if (Object.keys(query).length === 0) return () => true;
  const compiled = engine(() => new Query(query as Doc, shared));
  return (doc) => engine(() => compiled.test(doc));
}

/** Applies a projection (inclusion, exclusion, $slice, $elemMatch, literals) to documents. */
export function project(docs: Doc[], projection: Doc | undefined): Doc[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  const entries = Object.entries(projection);
  const slices = entries.filter(([, v]) => isSlice(v));
  // MongoDB reads a projection of only $slice (and exclusions) as an exclusion projection: every
  // other field stays (manual: $slice projection); mingo would drop them.
  if (slices.length > 0 && entries.every(([, v]) => isSlice(v) || v === 0 || v === false)) {
    const exclusions = Object.fromEntries(entries.filter(([, v]) => !isSlice(v)));
    const base = Object.keys(exclusions).length > 0 ? mingoProject(docs, exclusions) : docs;
    return base.map((doc) => {
      for (const [path, spec] of slices) applySlice(doc, path, (spec as { $slice: unknown }).$slice);
      return doc;
    });
  }
  return mingoProject(docs, projection);
}

function mingoProject(docs: Doc[], projection: Doc): Doc[] {
  // A field an operator leaves undefined ($elemMatch without a match) is absent, not null.
  return engine(() => new Query({}, shared).find(docs, projection as never).all() as Doc[]).map(dropUndefined);
}

const isSlice = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && '$slice' in v;

/** `$slice: n` (first n, or last -n) and `$slice: [skip, limit]` (negative skip counts from the end). */
function applySlice(doc: Doc, path: string, spec: unknown): void {
  const parts = path.split('.');
  let holder: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    holder = holder !== null && typeof holder === 'object' && !Array.isArray(holder) ? (holder as Doc)[part] : undefined;
  }
  const last = parts[parts.length - 1] as string;
  if (holder === null || typeof holder !== 'object' || Array.isArray(holder)) return;
  const array = (holder as Doc)[last];
  if (!Array.isArray(array)) return;
  let sliced: unknown[];
  if (typeof spec === 'number' && Number.isInteger(spec)) sliced = spec >= 0 ? array.slice(0, spec) : array.slice(Math.max(0, array.length + spec));
  else if (Array.isArray(spec) && spec.length === 2 && spec.every((n) => typeof n === 'number' && Number.isInteger(n))) {
    const [skip, limit] = spec as [number, number];
    if (limit <= 0) throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `$slice limit must be positive, got ${limit}`);
    const start = skip < 0 ? Math.max(0, array.length + skip) : skip;
    sliced = array.slice(start, start + limit);
  } else throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `$slice takes an integer or [skip, limit], got ${JSON.stringify(spec)}`);
  (holder as Doc)[last] = sliced;
}

function dropUndefined(doc: Doc): Doc {
  for (const [k, v] of Object.entries(doc)) {
    if (v === undefined) delete doc[k];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.toString.call(v) === '[object Object]') dropUndefined(v as Doc);
  }
  return doc;
}

/** Sorts documents in MongoDB's order (a stable sort, so ties keep natural order). */
export function sortDocs(docs: Doc[], sort: Record<string, 1 | -1>): Doc[] {
  if (Object.keys(sort).length === 0) return docs;
  return engine(() => new Query({}, shared).find(docs).sort(sort).all() as Doc[]);
}

/**
 * Applies a MongoDB update document to `doc` in place. `condition` is the query that selected the
 * document, which the positional `$` operator refers to.
 */
export function applyUpdate(doc: Doc, modifier: Doc, condition?: Doc): void {
  assertUpdateApplies(doc, modifier);
  // The updater spreads its options (a ComputeOptions would lose its context getter), so it gets
  // plain options; it re-tests `condition` and evaluates $pull conditions with them.
  const positional = Object.values(modifier).some((fields) => fields !== null && typeof fields === 'object' && Object.keys(fields).some((p) => /(^|\.)\$(\.|$)/.test(p)));
  engine(() => mingoUpdate(doc, modifier as never, undefined, (positional ? condition : undefined) as never, { cloneMode: 'deep', queryOptions: engineOptions() }));
}

/** Runs an aggregation pipeline (stages already checked by the caller) over documents. */
export function runPipeline(docs: Doc[], pipeline: Doc[], extra: Partial<Options> = {}): Doc[] {
  assertNoScript(pipeline);
  // mingo's own $setWindowFields and $fill are built on its $function, so scripts stay enabled
  // for pipelines; a caller's own server-side JavaScript is refused above.
  return engine(() => new Aggregator(pipeline, engineOptions({ scriptEnabled: true, ...extra })).run(docs) as Doc[]);
}

const SCRIPT_OPERATORS = new Set(['$function', '$accumulator', '$where']);

/** Server-side JavaScript ($function, $accumulator, $where) is not run by the local emulator. */
function assertNoScript(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(assertNoScript);
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof RegExp) return;
  for (const [key, inner] of Object.entries(value)) {
    if (SCRIPT_OPERATORS.has(key)) throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `aggregation operator ${key} (server-side JavaScript) is not supported by the local emulator`);
    assertNoScript(inner);
  }
}

/** Runs mingo, turning its errors into CloudBase's DATABASE_INVALID_OPERRATOR. */
function engine<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError('DATABASE_INVALID_OPERRATOR', describe((err as Error).message ?? String(err)));
  }
}

function describe(message: string): string {
  const unknown = /unknown (?:top level |query )?operator:? ?(\$\w+)/i.exec(message);
  if (unknown) {
    const op = unknown[1] as string;
    return MONGODB_QUERY_OPERATORS.includes(op) ? `query operator ${op} is not supported by the local emulator` : `unknown operator: ${op}`;
  }
  // mingo's "not registered" wording names the wrong kind of operator; say what MongoDB users expect.
  const unregistered = /'(\$\w+)' is not registered|unregistered \w+ operator (\$\w+)|unknown \w+ operator:? (\$\w+)/.exec(message);
  if (unregistered) return `aggregation operator ${unregistered[1] ?? unregistered[2] ?? unregistered[3]} is not supported by the local emulator`;
  return message;
}
