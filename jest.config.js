/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  setupFiles: ['<rootDir>/test/setup-runtime.ts'],
  // under CI=true a focused test fails its file (and test/summary-reporter.js fails the run on skipped ones)
  setupFilesAfterEnv: ['<rootDir>/test/no-focus.ts'],
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  // On 2 cores the heavy files (the crash test's SIGKILLs, the browser, the matrix) starve each other's timers and
  // browser waits when run side by side; CI runs the files one after another (about 12 minutes), a developer's
  // run keeps two workers.
  maxWorkers: process.env.CI === 'true' ? 1 : 2,
  testTimeout: 120000,
};
