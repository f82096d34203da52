// Refuses regular expressions whose matching time can explode (ReDoS) before a query runs them.
// JavaScript regexes backtrack and cannot be interrupted: one `^(\w|\w)*!$` against an ordinary
// 32-hex _id held the emulator at 100% CPU for minutes. recheck (a ReDoS checker that analyses the
// pattern's automaton, not a star-height heuristic: safe-regex misses `(\w|\w)*`) runs in its own
// process, so the check itself never blocks the emulator, and under a time budget.
// Polynomial patterns (`a.*b`) are let through: they are ordinary searches, bounded by document size.
import { onFirstUse } from './on-first-use';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const recheck = onFirstUse(() => require('recheck') as typeof import('recheck'));

const CHECK_BUDGET_MS = 2_000;

export class UnsafeRegexError extends Error {}

/** Every regex pattern a query holds: RegExp values, `$regex` operands, `$regexMatch`-style `regex` fields. */
export function regexesIn(value: unknown, out: Array<{ pattern: string; flags: string }> = []): Array<{ pattern: string; flags: string }> {
  if (value instanceof RegExp) out.push({ pattern: value.source, flags: value.flags });
  else if (Array.isArray(value)) for (const v of value) regexesIn(v, out);
  else if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const options = typeof obj.$options === 'string' ? obj.$options : '';
    if (typeof obj.$regex === 'string') out.push({ pattern: obj.$regex, flags: options });
    for (const op of ['$regexMatch', '$regexFind', '$regexFindAll']) {
      const spec = Object.hasOwn(obj, op) ? (obj[op] as Record<string, unknown> | null) : undefined;
      if (spec && typeof spec === 'object' && typeof spec.regex === 'string') out.push({ pattern: spec.regex, flags: typeof spec.options === 'string' ? spec.options : '' });
    }
    for (const v of Object.values(obj)) regexesIn(v, out);
  }
  return out;
}

/** Verdicts by flags and pattern (the refusal's message, or '' for safe): a function sends the same regex call after call. */
const verdicts = new Map<string, string>();
const MAX_VERDICTS = 1_000;

/** Throws UnsafeRegexError when a pattern in `query` can take exponential time, or cannot be shown not to in time. */
export async function assertNoCatastrophicRegex(query: unknown): Promise<void> {
  for (const { pattern, flags } of regexesIn(query)) {
    const checked = flags.replace(/[^imsu]/g, '');
    const key = `${checked}/${pattern}`;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      const judged = judge(pattern, await recheck().check(pattern, checked, { timeout: CHECK_BUDGET_MS }));
      verdict = judged.refusal;
      if (judged.final) {
        if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
        verdicts.set(key, verdict);
      }
    }
    if (verdict) throw new UnsafeRegexError(verdict);
  }
}

/** `refusal`: why the pattern is refused ('' when it is not). `final`: false when the check only ran out of time or failed, which says nothing of the pattern. */
function judge(pattern: string, diagnostics: Awaited<ReturnType<ReturnType<typeof recheck>['check']>>): { refusal: string; final: boolean } {
  const shown = JSON.stringify(pattern.slice(0, 100));
  if (diagnostics.status === 'vulnerable' && diagnostics.complexity.type === 'exponential') {
    return { refusal: `$regex ${shown} can take exponential time (nested or overlapping quantifiers); the emulator refuses it`, final: true };
  }
  // An invalid pattern is left to the query engine, which reports it as MongoDB does.
  if (diagnostics.status === 'unknown' && diagnostics.error.kind !== 'invalid') {
    return { refusal: `$regex ${shown} could not be checked for catastrophic backtracking (${diagnostics.error.kind}); the emulator refuses it`, final: false };
  }
  return { refusal: '', final: true };
}
