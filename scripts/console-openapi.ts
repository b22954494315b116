/**
 * Generates the console's typed client schema (console/src/api/schema.d.ts) from the API's OpenAPI document,
 * built from the same factory the app serves at /openapi.json: no server needed.
 *   npm run console:openapi            write it
 *   npm run console:openapi -- --check exit 1 when the committed file is out of date
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOpenApi } from '../api/openapi';

export const SCHEMA_FILE = join(__dirname, '..', 'console', 'src', 'api', 'schema.d.ts');

/** The generated TypeScript for the current document. */
export function generateSchema(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xborder-openapi-'));
  try {
    const doc = join(dir, 'openapi.json');
    const out = join(dir, 'schema.d.ts');
    writeFileSync(doc, JSON.stringify(buildOpenApi(), null, 2));
    const cli = join(require.resolve('openapi-typescript/package.json'), '..', 'bin', 'cli.js');
    const r = spawnSync(process.execPath, [cli, doc, '--output', out, '--alphabetize'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openapi-typescript failed:\n${r.stderr}`);
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const generated = generateSchema();
  if (process.argv.includes('--check')) {
    if (readFileSync(SCHEMA_FILE, 'utf8') !== generated) {
      console.error(`${SCHEMA_FILE} is out of date: run npm run console:openapi`);
      process.exit(1);
    }
  } else {
    writeFileSync(SCHEMA_FILE, generated);
    console.log(`wrote ${SCHEMA_FILE}`);
  }
}
