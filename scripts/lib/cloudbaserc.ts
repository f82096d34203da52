// The functions cloudbaserc.json declares, and adding one. The tcb CLI deploys a function with its
// entry there; without one it stops to ask whether to use its own defaults (Nodejs18.15, online
// dependency install), a question no script can answer.
import fs from 'node:fs';
import { applyEdits, modify } from 'jsonc-parser';
import { PROJECT_RUNTIME } from './runtimes';

export interface RcFunctionEntry {
  name: string;
  handler: string;
  runtime: string;
  timeout: number;
  memorySize: number;
  installDependency: boolean;
  envVariables: Record<string, string>;
  ignore: string[];
}

/**
 * SCF's rule for FunctionName (Tencent Cloud API CreateFunction, https://cloud.tencent.com/document/api/583/18586): 2-60 letters, digits, `-` or `_`,
 * starting with a letter and not ending with `-` or `_`. The emulator's CreateFunction applies the same.
 */
export const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;

/** The entry a new function gets: the same settings as the project's own functions. */
export function defaultRcEntry(name: string): RcFunctionEntry {
  return {
    name,
    handler: 'index.main',
    runtime: PROJECT_RUNTIME,
    timeout: 10,
    memorySize: 256,
    // The bundle carries wx-server-sdk (scripts/lib/build-functions.ts): nothing to install online.
    installDependency: false,
    envVariables: {},
    ignore: ['node_modules', 'node_modules/**/*'],
  };
}

export function rcFunctionNames(rcFile: string): string[] {
  const rc = JSON.parse(fs.readFileSync(rcFile, 'utf8')) as { functions?: Array<{ name?: unknown }> };
  return (rc.functions ?? []).map((f) => f.name).filter((n): n is string => typeof n === 'string');
}

/** Appends an entry to `functions`, leaving the rest of the file's text as it was. */
export function addRcEntry(rcFile: string, entry: RcFunctionEntry): void {
  const text = fs.readFileSync(rcFile, 'utf8');
  const rc = JSON.parse(text) as { functions?: unknown };
  const edits = Array.isArray(rc.functions)
    ? modify(text, ['functions', -1], entry, { isArrayInsertion: true, formattingOptions: { insertSpaces: true, tabSize: 2 } })
    : modify(text, ['functions'], [entry], { formattingOptions: { insertSpaces: true, tabSize: 2 } });
  fs.writeFileSync(rcFile, applyEdits(text, edits));
}

/** The one-line refusal for functions the CLI would ask about, or undefined when all have entries. */
export function missingRcEntriesMessage(rcFile: string, names: readonly string[]): string | undefined {
  const declared = new Set(rcFunctionNames(rcFile));
  const missing = names.filter((n) => !declared.has(n));
  if (!missing.length) return undefined;
  const fix = missing.map((n) => `npm run new-function -- ${n}`).join(' and ');
  return `${missing.join(', ')} ${missing.length === 1 ? 'has' : 'have'} no entry in cloudbaserc.json, so the tcb CLI would stop to ask for one: add it with ${fix}`;
}
