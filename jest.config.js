/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  // Local deploys leave package.json files in the data folder; they are not modules of this project.
  modulePathIgnorePatterns: ['<rootDir>/.emulator-data/', '<rootDir>/bench-results/', '<rootDir>/test-artifacts/'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/tests/support/slowest-files-reporter.js'],
};
