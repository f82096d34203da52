const os = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': '<rootDir>/tests/support/esbuild-transform.js' },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  // Local deploys leave package.json files in the data folder, and the bench and profile builds their
  // own copies of the function bundles; none are modules of this project.
  modulePathIgnorePatterns: ['<rootDir>/.emulator-data/', '<rootDir>/bench-results/', '<rootDir>/test-artifacts/', '<rootDir>/dist/bench/', '<rootDir>/dist/profile/'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  testTimeout: 30000,
  // One more worker than cores: the CLI, deploy and fuzz files spend much of their time waiting on
  // child processes (the tcb CLI, function instances), and one more file uses the CPU meanwhile.
  // At most 8: a worker with its emulator and instances held about 0.6 GB at its peak (5 workers on
  // this project's 2-core machine used 2.9 GB in all).
  maxWorkers: Math.min(os.availableParallelism() + 1, 8),
  testSequencer: '<rootDir>/tests/support/slow-first-sequencer.js',
  reporters: ['default', '<rootDir>/tests/support/slowest-files-reporter.js'],
};
