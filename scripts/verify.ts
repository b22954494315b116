/**
 * npm run verify -- <transferId | --all>
 * Re-verifies the evidence store: audit chains (every entry's hash from its content and the previous hash,
 * contiguous sequence numbers), the global head over all chains, and the stored documents against their
 * digests. Exits 1 naming the first broken link when anything was altered, 2 on bad usage; 0 otherwise.
 */
import { EvidenceStore } from '../activities/store';
import { parseConfig } from '../api/config';
import { loadKeyRing } from '../activities/crypto';

function main(): number {
  const arg = process.argv[2];
  if (!arg || (arg !== '--all' && !/^[0-9a-f-]{36}$/.test(arg))) {
    console.error('usage: npm run verify -- <transferId | --all>');
    return 2;
  }
  const config = parseConfig();
  const store = new EvidenceStore(config.dataDir, loadKeyRing(config.dataDir, config.encryptionKeys));
  try {
    const ids = arg === '--all' ? store.audit.transferIds() : [arg];
    if (arg !== '--all' && !store.audit.facts(arg)) {
      console.error(`verify: no audit trail for transfer ${arg} in ${config.dataDir}`);
      return 1;
    }
    let entries = 0;
    for (const id of ids) {
      const chain = store.audit.verify(id);
      if (!chain.ok) {
        console.error(`BROKEN ${chain.broken}`);
        return 1;
      }
      entries += chain.entries;
    }
    const global = store.audit.verify();
    if (!global.ok) {
      console.error(`BROKEN ${global.broken}`);
      return 1;
    }
    const documentIds = arg === '--all' ? store.allDocumentIds() : store.documentsOf(arg).map((d) => d.id);
    for (const id of documentIds) {
      const problem = store.checkDocument(id);
      if (problem) {
        console.error(`BROKEN document ${id}: ${problem}`);
        return 1;
      }
    }
    console.log(
      `verified: ${ids.length} transfer${ids.length === 1 ? '' : 's'}, ${entries} audit entries, the global head over ${global.entries}, ${documentIds.length} documents`,
    );
    return 0;
  } finally {
    store.close();
  }
}

process.exitCode = main();
