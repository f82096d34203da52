// Keeps inherited-name lookups out of the emulator: a table declared as `Record<string, ...>` (the
// action, route and operator tables a caller's name selects from) is never indexed with brackets
// or tested with `in`; the lookup goes through emulator/lib/own-entry.ts, which sees the table's own
// entries only (`table.constructor` is Object, `'toString' in table` is true for every object).
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../emulator');
const HELPER = path.join(ROOT, 'lib/own-entry.ts');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'ui' || e.name === 'node_modules' ? [] : sources(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Names declared with a string-keyed record type: `const X: Record<string, ...>`, `routes: Record<string, Route>`, `services: Record<string, Record<...>>`, `functions: Record<string, FunctionRecord>`. */
function recordTables(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/\b(?:const\s+)?([A-Za-z_$][\w$]*)\??\s*:\s*(?:Readonly<)?Record<string,/g)) names.add(m[1] as string);
  }
  // Tables: module-level constants (DATABASE_ACTIONS, SCF_ACTIONS, ...) and the route and service
  // tables handed to dispatchers. Local records the emulator fills itself (headers, counters) are not.
  return new Set([...names].filter((n) => /^[A-Z][A-Z0-9_]*$/.test(n) || /^(routes|services|apis|\w+Routes|\w+Actions|functions)$/.test(n)));
}

it('never looks a name up in a string-keyed table with [] or `in`', () => {
  const files = sources(ROOT).filter((f) => f !== HELPER);
  const tables = [...recordTables(files)];
  expect(tables).toEqual(expect.arrayContaining(['DATABASE_ACTIONS', 'ACTIONS', 'SCF_ACTIONS', 'TCB_ACTIONS', 'VALUE_RULES', 'services', 'routes', 'apis', 'functions']));
  const offences: string[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      for (const t of tables) {
        const escaped = t.replace(/\$/g, '\\$');
        // A lower-case table is often a field (deps.apis, this.state.functions); writing an entry is not a lookup.
        const prefix = /^[a-z]/.test(t) ? '(?<![\\w$])' : '(?<![\\w$.])';
        const lookup = new RegExp(`${prefix}${escaped}\\s*(\\?\\.)?\\[(?!\\s*\\])[^\\]]*\\](?!\\s*=[^=])`);
        if ((lookup.test(line) && !/^\s*delete\b/.test(line)) || new RegExp(`\\bin\\s+(this\\.)?${escaped}\\b`).test(line)) offences.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      }
    });
  }
  expect(offences).toEqual([]);
});
