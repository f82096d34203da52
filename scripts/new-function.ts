// `npm run new-function -- <name>`: a new cloud function from the template (cloudfunctions/<name>/)
// and its cloudbaserc.json entry on the project's runtime, so that build, npm start and
// `npm run deploy -- --local <name>` work at once. For a folder that already has an index.ts, only
// the missing cloudbaserc.json entry is added.
import fs from 'node:fs';
import path from 'node:path';
import { FUNCTION_NAME, addRcEntry, defaultRcEntry, rcFunctionNames } from './lib/cloudbaserc';
import { functionTemplate } from './lib/function-template';
import { ScriptError, parseScriptArgs, runScript, usageError } from './lib/script-cli';

const ROOT = path.resolve(__dirname, '..');

const USAGE = `usage: npm run new-function -- <name> [--src DIR] [--rc FILE]

Creates cloudfunctions/<name>/ (index.ts, router.ts, handlers/greet.ts, config.json) and adds
<name> to cloudbaserc.json. For an existing cloudfunctions/<name>/index.ts, adds only the entry.

options:
  --src DIR      the functions folder (default: cloudfunctions)
  --rc FILE      the tcb CLI's configuration (default: cloudbaserc.json)
  -h, --help     show this help`;

runScript(async () => {
  const { values, positionals } = parseScriptArgs({ src: { type: 'string' }, rc: { type: 'string' } }, USAGE);
  const [name, ...extra] = positionals;
  if (!name || extra.length) usageError('expected one function name', USAGE);
  if (!FUNCTION_NAME.test(name)) usageError(`"${name}" is not a CloudBase function name: 2-60 letters, digits, - or _, starting with a letter, not ending with - or _`, USAGE);
  const srcDir = path.resolve(values.src ?? path.join(ROOT, 'cloudfunctions'));
  const rcFile = path.resolve(values.rc ?? path.join(ROOT, 'cloudbaserc.json'));
  if (!fs.existsSync(rcFile)) throw new ScriptError(`no ${rcFile}: --rc names the project's cloudbaserc.json`);
  const dir = path.join(srcDir, name);
  const shown = (p: string) => path.relative(process.cwd(), p) || '.';
  const hasEntry = rcFunctionNames(rcFile).includes(name);
  const exists = fs.existsSync(path.join(dir, 'index.ts'));
  if (exists && hasEntry) throw new ScriptError(`${shown(dir)} and its cloudbaserc.json entry exist already: nothing to do`);
  if (!exists) {
    if (fs.existsSync(dir) && fs.readdirSync(dir).length) throw new ScriptError(`${shown(dir)} exists but has no index.ts: move it away or add index.ts yourself, then run this again`);
    for (const [file, text] of Object.entries(functionTemplate(name))) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
      console.log(`created ${shown(path.join(dir, file))}`);
    }
  }
  if (!hasEntry) {
    const entry = defaultRcEntry(name);
    addRcEntry(rcFile, entry);
    console.log(`added ${name} to ${shown(rcFile)} (runtime ${entry.runtime}, handler ${entry.handler}, timeout ${entry.timeout} s)`);
  }
  const next: Array<[string, string]> = [
    ['npm start', 'builds and serves it (restart one that is running)'],
    ...(exists ? [] : [[`npm run invoke -- ${name} --params '{"name":"greet","data":{"who":"Ann"}}'`, 'calls it'] as [string, string]]),
    [`npm run deploy -- --local ${name}`, 'or: deploys it with the tcb CLI to the running emulator'],
  ];
  const width = Math.max(...next.map(([command]) => command.length));
  console.log(`\nnext:\n${next.map(([command, why]) => `  ${command.padEnd(width)}  # ${why}`).join('\n')}`);
});
