/**
 * Two projects in one run, one summary line (test/summary-reporter.js reads the combined results):
 * - `default`: every suite, its stacks on SQLite (the embedded default) unless a test names PostgreSQL;
 * - `postgres`: the API suites and the workflow suites that write evidence, again with every stack on PostgreSQL (XBORDER_TEST_DATABASE=postgres,
 *   set by test/postgres-project.ts for each of its files), on the one server the global setup starts.
 * The global setup and teardown are the same module in both projects: jest runs each module once per run.
 */
const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // under CI=true a focused test fails its file (and test/summary-reporter.js fails the run on skipped ones)
  setupFilesAfterEnv: ['<rootDir>/test/no-focus.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'default',
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/test/setup-runtime.ts'],
    },
    {
      ...shared,
      displayName: 'postgres',
      testMatch: [
        '<rootDir>/test/api/*.test.ts',
        '<rootDir>/test/e2e/*.test.ts',
        // the workflow suites whose workflows write evidence through the data layer (time skipping)
        '<rootDir>/test/workflow/deadlines.test.ts',
        '<rootDir>/test/workflow/bug-retry.test.ts',
        '<rootDir>/test/workflow/long-life.test.ts',
      ],
      testPathIgnorePatterns: [
        '/node_modules/',
        // SQLite by nature: its tamper test alters a document file under the data dir (PostgreSQL keeps the bytes
        // in a table; test/store/repositories.test.ts checks that backend's digests)
        '<rootDir>/test/api/platform.test.ts',
        // SQLite by nature: reads a sealed document file under the data dir (PostgreSQL keeps the sealed bytes in
        // document_blobs; test/store/repositories.test.ts checks them sealed there)
        '<rootDir>/test/api/encryption.test.ts',
        // SQLite by nature: `npm start`'s embedded default (its own data dir, its own dev server)
        '<rootDir>/test/e2e/stack.test.ts',
        // starts `npm run api` / `npm run worker` on a data dir; on PostgreSQL that is test/fleet/fleet.test.ts
        '<rootDir>/test/api/roles.test.ts',
        // the heaviest file (about 40 SIGKILLs, up to 7 minutes on 2 cores): once, on SQLite; the fleet test and
        // worker-kill.test.ts kill workers on PostgreSQL
        '<rootDir>/test/api/crash.test.ts',
        // who may do what, and which inputs are refused, are decided before anything is stored (the API's table and
        // the workflow's validators; nothing refused writes): the same on both backends, and the heaviest files
        // after the crash test (6 and 2 minutes). The scoping that the data layer renders in SQL is
        // test/scope/scope.test.ts, on both backends.
        '<rootDir>/test/api/matrix.test.ts',
        '<rootDir>/test/api/contract-inputs.test.ts',
      ],
      setupFiles: ['<rootDir>/test/setup-runtime.ts', '<rootDir>/test/postgres-project.ts'],
    },
  ],
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  // On 2 cores the heavy files (the crash test's SIGKILLs, the browser, the matrix) starve each other's timers and
  // browser waits when run side by side; CI runs the files one after another, a developer's run keeps two workers.
  maxWorkers: process.env.CI === 'true' ? 1 : 2,
  testTimeout: 120000,
};
