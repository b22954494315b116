/**
 * Search attributes and memo of a transfer's workflow, published when they change. Shared by every code version.
 */
import { upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  awaiting,
  awaitingChangesAt,
  isOverdue,
  nextDeadline,
  phase,
  rulesVersionOf,
  type TransferState,
} from '../../domain/transfer';
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
  const next = nextDeadline(state);
  // Whom it awaits. Some tasks open with time alone (rules 2: the report window): then the role is published
  // with the instant its task opens (AwaitedFrom), and the inbox shows it from then on — no timer, no event.
  const now = Date.now();
  const opens = rulesVersionOf(state) >= 2 ? awaitingChangesAt(state, now) : null;
  const who = (awaiting(state, now)[0] ?? (opens ? awaiting(state, Date.parse(opens))[0] : undefined))?.role;
  const attributes = [
    { key: sa.status, value: state.status },
    { key: sa.phase, value: phase(state) },
    { key: sa.applicantOrg, value: state.applicantOrg },
    { key: sa.overdue, value: isOverdue(state) },
    ...(state.route?.route ? [{ key: sa.route, value: state.route.route }] : []),
    ...(state.risk ? [{ key: sa.riskLevel, value: state.risk.level }] : []),
    ...(state.application.recipient?.id
      ? [{ key: sa.recipientId, value: state.application.recipient.id }]
      : []),
    ...(state.application.recipient?.country
      ? [{ key: sa.country, value: state.application.recipient.country }]
      : []),
    next?.dueAt
      ? { key: sa.nextDeadline, value: new Date(next.dueAt) }
      : { key: sa.nextDeadline, value: null },
    who ? { key: sa.awaitingRole, value: who } : { key: sa.awaitingRole, value: null },
    ...(rulesVersionOf(state) >= 2
      ? [{ key: sa.awaitedFrom, value: opens && who ? new Date(opens) : null }]
      : []),
  ] as Parameters<typeof upsertSearchAttributes>[0];
  return attributes;
}
