/**
 * The `postgres` jest project (jest.config.js): every stack of its files on PostgreSQL (test/helpers.ts
 * defaultTestDatabase), a fresh database on the run's server for each.
 */
process.env.XBORDER_TEST_DATABASE = 'postgres';
