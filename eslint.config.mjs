// `npm run lint` (and `npm test`): a small rule set over the TypeScript sources, without type
// information (tsc checks types, and unused names through noUnusedLocals/noUnusedParameters).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'test-artifacts/', 'bench-results/', '.emulator-data/', 'tests/fixtures/'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-debugger': 'error',
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-require-imports': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-namespace': 'error',
      // `import('x').T` stays allowed: a test that loads the SDK afresh with require() types it so.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // Tests drive untyped clients (the SDK's database handles) as they are.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Production code never knows about the emulator.
    files: ['cloudfunctions/**', 'shared/**', 'miniprogram/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/emulator', '**/emulator/**'], message: 'production code never imports the emulator' }] }] },
  },
);
