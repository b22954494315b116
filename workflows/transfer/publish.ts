/**
 * Search attributes and memo of a transfer's workflow, published when they change. Shared by every code version.
 */
import { upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { rulesVersionOf, type TransferState } from '../../domain/transfer';
import { transferRow } from '../../domain/transfer-row';
import { searchAttributes as sa } from '../messages';

/**
 * Search attributes and memo: opaque ids and statuses only; the title (memo) is encrypted with payloads.
 * `carried`: a run continued from an earlier one starts with the attributes that run published.
 */
export function createPublisher(
  carried: TransferState | undefined,
  since: (v: number) => boolean,
): (state: TransferState) => void {
  let lastPublished = carried ? fingerprintOf(attributesOf(carried)) : '';
  return (state) => {
    const attributes = attributesOf(state);
    const fingerprint = fingerprintOf(attributes);
    // Since v2 only a change is upserted (one event fewer for every action that moves no attribute).
    if (since(2) && fingerprint === lastPublished) return;
    lastPublished = fingerprint;
    upsertSearchAttributes(attributes);
    if (workflowInfo().memo?.title !== state.application.title)
      upsertMemo({ title: state.application.title ?? null });
  };
}

const fingerprintOf = (attributes: Parameters<typeof upsertSearchAttributes>[0]): string =>
  JSON.stringify(
    (attributes as { key: { name: string }; value: unknown }[]).map((a) => [a.key.name, a.value]),
  );

function attributesOf(state: TransferState): Parameters<typeof upsertSearchAttributes>[0] {
  // the read model's row (domain/transfer-row.ts): a list and visibility agree on whom a transfer awaits
  const row = transferRow(state, Date.now());
  const attributes = [
    { key: sa.status, value: row.status },
    { key: sa.phase, value: row.phase },
    { key: sa.applicantOrg, value: row.applicantOrg },
    { key: sa.overdue, value: row.overdue },
    ...(row.route ? [{ key: sa.route, value: row.route }] : []),
    ...(row.riskLevel ? [{ key: sa.riskLevel, value: row.riskLevel }] : []),
    ...(row.recipientId ? [{ key: sa.recipientId, value: row.recipientId }] : []),
    ...(row.country ? [{ key: sa.country, value: row.country }] : []),
    { key: sa.nextDeadline, value: row.nextDeadline ? new Date(row.nextDeadline) : null },
    { key: sa.awaitingRole, value: row.awaitingRole },
    ...(rulesVersionOf(state) >= 2
      ? [{ key: sa.awaitedFrom, value: row.awaitedFrom ? new Date(row.awaitedFrom) : null }]
      : []),
  ] as Parameters<typeof upsertSearchAttributes>[0];
  return attributes;
}
