// Jest's TypeScript compiler: esbuild, which also builds every bundle the tests run and
// `npm run deploy` ships (scripts/lib/build-functions.ts), so test files and the code they load are
// compiled as production code is. Type errors are tsc's job: `npm test` runs its type checks
// (scripts/lib/checks.ts) before jest. esbuild starts no TypeScript program, so a fresh clone's
// first run is not spent loading TypeScript into every worker and transpiling each file with it.
const crypto = require('node:crypto');
const { transformSync, version } = require('esbuild');
const tsconfig = require('../../tsconfig.json');

const OPTIONS = {
  loader: 'ts',
  format: 'cjs',
  target: 'node20',
  keepNames: true,
  // import() becomes require(), as tsc's CommonJS output has it: jest's module registry (and its
  // isolation per test file) only sees require.
  supported: { 'dynamic-import': false },
  sourcemap: 'external',
  // The settings of tsconfig.json that change emitted code (target: class fields; esModuleInterop).
  tsconfigRaw: { compilerOptions: { target: tsconfig.compilerOptions.target, esModuleInterop: tsconfig.compilerOptions.esModuleInterop, verbatimModuleSyntax: false } },
};
const SALT = JSON.stringify({ version, OPTIONS });

module.exports = {
  process(sourceText, sourcePath) {
    const { code, map } = transformSync(sourceText, { ...OPTIONS, sourcefile: sourcePath });
    return { code, map };
  },
  getCacheKey(sourceText, sourcePath, { configString }) {
    return crypto.createHash('sha256').update(SALT).update('\0').update(sourcePath).update('\0').update(sourceText).update('\0').update(configString).digest('hex');
  },
};
