/**
 * Activities: the workflow's side effects, as a factory over injected dependencies so that `worker.ts` wires
 * the real ones and tests wire their own.
 */
import type { PartialApplication } from '../domain/application';
import { policyById } from '../domain/policy';
import type { Route } from '../domain/policy';
import { scoreRisk, type RiskAssessment } from '../domain/risk';
import { renderAgreementText } from './agreement';
import type { EvidenceStore, NotificationRow } from './store';

export interface ActivityDeps {
  store: EvidenceStore;
}

const SYSTEM = { sub: 'xborder', role: 'admin' as const };

export function createActivities({ store }: ActivityDeps) {
  return {
    /** Record that a transfer references documents, so its parties may read them. Idempotent. */
    linkDocuments(input: {
      transferId: string;
      documentIds: string[];
      applicantOrg: string;
      recipientId: string | null;
    }): Promise<void> {
      store.linkDocuments(input.transferId, input.documentIds, input.applicantOrg, input.recipientId);
      return Promise.resolve();
    },

    /** The explainable risk score under the transfer's policy pack. */
    scoreRisk(input: {
      application: PartialApplication;
      route: Route | null;
      policyId: string;
    }): Promise<RiskAssessment> {
      const pack = policyById(input.policyId);
      if (!pack) throw new Error(`unknown policy pack ${input.policyId}`);
      return Promise.resolve(scoreRisk(input.application, input.route, pack));
    },

    /** Render the agreement from the approved scope and conditions and store it; the same input gives the same digest. */
    renderAgreement(
      input: Parameters<typeof renderAgreementText>[0] & { transferId: string },
    ): Promise<{ documentId: string; digest: string }> {
      const text = renderAgreementText(input);
      const meta = store.putDocument(Buffer.from(text, 'utf8'), 'text/plain', SYSTEM, input.approvedAt);
      store.linkDocuments(
        input.transferId,
        [meta.id],
        input.application.exporter?.org ?? '',
        input.application.recipient?.id ?? null,
      );
      return Promise.resolve({ documentId: meta.id, digest: meta.id.slice('sha256:'.length) });
    },

    /** Put notifications in the outbox (delivered by the notification dispatcher); idempotent per key. */
    notify(input: { notifications: Omit<NotificationRow, 'id'>[] }): Promise<void> {
      for (const n of input.notifications) store.addNotification(n);
      return Promise.resolve();
    },

    /** A unique, gap-free filing number, the same on every retry for the same transfer. */
    issueFilingNumber(input: { transferId: string; year: number; at: string }): Promise<string> {
      return Promise.resolve(store.issueFilingNumber(input.transferId, input.year, input.at));
    },
  };
}
