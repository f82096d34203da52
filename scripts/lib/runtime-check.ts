// Before a deploy: each function's runtime in the cloud against cloudbaserc.json. `tcb fn deploy`
// cannot change a runtime: it sets Runtime only when it creates a function, and its configuration
// update leaves Runtime out (@cloudbase/cli 2.12.10: "Runtime ... 只能在 CreateFunction 时设置").
// A function created on another runtime would keep running there, so the deploy stops and says
// how to fix it, or (--recreate) deletes and creates the function again.
import { createInterface } from 'node:readline';
import type { TcbRun } from './tcb-cli';

export interface RuntimeMismatch {
  name: string;
  deployed: string;
  declared: string;
}

/**
 * Name → runtime, read from the table `tcb fn list` prints (columns: function id, name, runtime,
 * created, modified, status; the headers are localized, the rows are not).
 */
export function deployedRuntimes(run: TcbRun): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of run.output.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    const cells = line.split('│').map((c) => c.trim());
    // A row: '', id, name, runtime, ... ''; the runtime cell names a language and a version.
    if (cells.length >= 5 && /^[A-Za-z]+\d+(\.\d+)*$/.test(cells[3] ?? '') && cells[2]) out.set(cells[2], cells[3] as string);
  }
  return out;
}

export function runtimeMismatches(deployed: Map<string, string>, declared: (name: string) => string, names: readonly string[]): RuntimeMismatch[] {
  return names.flatMap((name) => {
    const current = deployed.get(name);
    return current !== undefined && current !== declared(name) ? [{ name, deployed: current, declared: declared(name) }] : [];
  });
}

export function describeMismatches(mismatches: readonly RuntimeMismatch[]): string {
  const lines = mismatches.map((m) => `  ${m.name}: deployed on ${m.deployed}, cloudbaserc.json declares ${m.declared}`);
  const names = mismatches.map((m) => m.name).join(' ');
  return [
    `runtime mismatch: tcb fn deploy cannot change a function's runtime (only creating the function sets it), so the code would keep running on the old runtime:`,
    ...lines,
    `fix: delete and recreate the function(s) on the declared runtime: npm run deploy -- --recreate ${names}`,
    `     (asks before deleting; --yes skips the question). Deleting drops the function's logs and versions;`,
    `     the deploy creates its configuration, variables, timer triggers and HTTP access path again.`,
    `     Or declare ${mismatches.length === 1 ? mismatches[0]!.deployed : 'the deployed runtime'} in cloudbaserc.json to stay where it is.`,
  ].join('\n');
}

/** Asks a yes/no question on the terminal; anything but y/yes (or no answer at all) is no. */
export function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  return new Promise((resolve) => {
    let answered = false;
    rl.once('line', (answer) => {
      answered = true;
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
    rl.once('close', () => {
      if (!answered) resolve(false);
    });
    process.stdout.write(`${question} [y/N] `);
  });
}
