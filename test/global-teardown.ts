import type { DevServer } from '../scripts/dev-server';
import type { TestPostgres } from './postgres';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as { __temporal?: DevServer; __postgres?: TestPostgres };
  await Promise.all([g.__temporal?.stop(), g.__postgres?.stop()]);
}
