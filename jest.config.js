/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  // Local deploys leave package.json files in the data folder, and the bench and profile builds their
  // own copies of the function bundles; none are modules of this project.
  modulePathIgnorePatterns: ['<rootDir>/.emulator-data/', '<rootDir>/bench-results/', '<rootDir>/test-artifacts/', '<rootDir>/dist/bench/', '<rootDir>/dist/profile/'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
