/** The console's typed client follows the API: schema.d.ts is what openapi-typescript makes of /openapi.json now. */
import { readFileSync } from 'node:fs';
import { generateSchema, SCHEMA_FILE } from '../../scripts/console-openapi';

test('console/src/api/schema.d.ts is up to date with the OpenAPI document (npm run console:openapi)', () => {
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generateSchema());
});
