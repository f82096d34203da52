// Checks the regexes of a database.* request before the action runs them (lib/regex-guard.ts).
// A function's code may build db.RegExp or `$regex` from what its caller sent, and one pattern
// with nested quantifiers held the emulator's only thread for minutes: every other request (the
// console, the other functions, the CLI) waited behind it. MongoDB runs such a pattern under
// PCRE's match limit and the cloud answers the rest meanwhile; how CloudBase reports a pattern that
// reaches that limit is not documented, so the emulator fails closed: DATABASE_REQUEST_FAILED
// (-502001 through wx-server-sdk's TCB_ERR_CODE) with a message that names the pattern.
import { DatabaseError } from '../store/database-error';
import { assertNoCatastrophicRegex, UnsafeRegexError } from '../lib/regex-guard';
import { decodeEjson } from './ejson-codec';

/** The request fields that reach the query engine: conditions, projections, update documents, sort orders. */
const FIELDS = ['query', 'projection', 'data', 'order'] as const;
/**
 * EJSON text that can hold a regex once decoded: `$regularExpression`, `$regex…` (also `$regexMatch`
 * and the other expression operators), or a `\u` escape that could spell either.
 */
const MAY_HOLD_REGEX = /regex|regular|\\u/i;

/** Throws DatabaseError when a regex in `params` can take exponential time. Requests without one cost a text test per field. */
export async function refuseCatastrophicRegexes(params: Record<string, unknown>, now: Date): Promise<void> {
  const values: unknown[] = [];
  const take = (raw: unknown) => {
    if (typeof raw !== 'string') {
      if (raw !== null && typeof raw === 'object') values.push(raw);
      return;
    }
    if (!MAY_HOLD_REGEX.test(raw)) return;
    try {
      values.push(decodeEjson(raw, now));
    } catch {
      // Undecodable text never reaches the engine: the action reports it (INVALID_PARAM).
    }
  };
  for (const field of FIELDS) take(params[field]);
  if (Array.isArray(params.stages)) for (const stage of params.stages) take((stage as { stageValue?: unknown } | null)?.stageValue);
  if (values.length === 0) return;
  try {
    await assertNoCatastrophicRegex(values);
  } catch (err) {
    if (err instanceof UnsafeRegexError) throw new DatabaseError('DATABASE_REQUEST_FAILED', err.message);
    throw err;
  }
}
