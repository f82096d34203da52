// `npm run check` (the first half of `npm test`): tsc on the three TypeScript projects and eslint,
// side by side, with their caches (scripts/lib/checks.ts).
import { runChecks } from './lib/checks';
import { parseScriptArgs, runScript } from './lib/script-cli';

const USAGE = `usage: npm run check [-- --cache-dir DIR]

Type-checks the three TypeScript projects (tsc -p ., emulator/console/ui, miniprogram) and lints with
eslint, side by side. npm test runs it before jest.

options:
  --cache-dir DIR  where tsc's build info and eslint's cache are kept (default node_modules/.cache;
                   an empty folder checks everything, as on a fresh clone)
  -h, --help       show this help`;

runScript(async () => {
  const { values } = parseScriptArgs({ 'cache-dir': { type: 'string' } }, USAGE, false);
  const failed = await runChecks(values['cache-dir']);
  if (failed.length) {
    console.error(`\n${failed.length} check(s) failed: ${failed.join(', ')}`);
    process.exit(1);
  }
});
