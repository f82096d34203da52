// Small helpers every bench part shares: a plain-text table, median and spread of samples, and
// strict parsing of numeric command-line values.

export function table(rows: Array<Record<string, unknown>>): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const fmt = (v: unknown) => (v === undefined ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => fmt(r[k]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(keys.map((k) => fmt(r[k]))))].join('\n');
}

export function section(title: string, rows: Array<Record<string, unknown>>, notes: string[] = []): void {
  console.log(`\n== ${title} ==`);
  if (rows.length) console.log(table(rows));
  for (const note of notes) console.log(note);
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] as number;
}

export const median = (values: number[]) => quantile(values, 0.5);

/** "min–max" of the samples, for the spread column. */
export function spread(values: number[], digits = 0): string {
  return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
}

export class UsageError extends Error {}

/** A whole number written in decimal digits within [min, max]; anything else is a UsageError naming the option. */
export function wholeNumber(option: string, raw: unknown, min: number, max: number): number {
  const text = String(raw);
  const value = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${option} expects a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** A comma-separated list of whole numbers, each within [min, max]. */
export function wholeNumberList(option: string, raw: unknown, min: number, max: number): number[] {
  const items = String(raw).split(',');
  if (items.some((i) => i.trim() === '')) throw new UsageError(`--${option} expects comma-separated whole numbers, got ${JSON.stringify(raw)}`);
  return items.map((i) => wholeNumber(option, i.trim(), min, max));
}
