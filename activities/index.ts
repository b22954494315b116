/**
 * Activities: the workflow's side effects, as a factory over injected dependencies so that `worker.ts` wires
 * the real ones and tests wire their own.
 */
import type { EvidenceStore } from './store';

export interface ActivityDeps {
  store: EvidenceStore;
}

export function createActivities({ store }: ActivityDeps) {
  return {
    /** Record that a transfer references documents, so its parties may read them. Idempotent. */
    async linkDocuments(input: {
      transferId: string;
      documentIds: string[];
      applicantOrg: string;
      recipientId: string | null;
    }): Promise<void> {
      store.linkDocuments(input.transferId, input.documentIds, input.applicantOrg, input.recipientId);
      return Promise.resolve();
    },
  };
}
