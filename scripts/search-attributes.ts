/**
 * Registers xborder's search attributes on a Temporal server that was not started by `npm start` (a cluster,
 * or the time-skipping test server).   TEMPORAL_ADDRESS=host:7233 npx tsx scripts/search-attributes.ts
 */
import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { searchAttributes } from '../workflows/messages';

export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const wanted = Object.fromEntries(
    Object.values(searchAttributes).map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!]),
  );
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: wanted });
}

if (require.main === module) {
  const { connectionOptions, namespace = 'default' } = loadClientConnectConfig();
  Connection.connect(connectionOptions)
    .then(async (connection) => {
      await registerSearchAttributes(connection, namespace);
      console.log(
        `registered ${Object.values(searchAttributes)
          .map((k) => k.name)
          .join(', ')} in namespace ${namespace}`,
      );
      await connection.close();
    })
    .catch((err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    });
}
