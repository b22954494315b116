/**
 * transferWorkflow: one transfer from draft to its end. Every human action is an update whose synchronous
 * validator asks the domain state machine whether it may happen (and refuses without touching history); the
 * handler applies the same decision. Deadlines are timers raced against state changes.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { isTerminal } from '../domain/lifecycle';
import { policyById, type PolicyPack } from '../domain/policy';
import {
  awaiting,
  decide,
  isOverdue,
  newTransfer,
  nextDeadline,
  phase,
  type Command,
  type TransferState,
} from '../domain/transfer';
import {
  completenessUpdate,
  editUpdate,
  searchAttributes as sa,
  stateQuery,
  submitUpdate,
  supplementUpdate,
  withdrawUpdate,
  type TransferInput,
} from './messages';

const evidence = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '1 minute' },
});

function refuseWith(kind: string, message: string, details?: unknown): never {
  throw ApplicationFailure.nonRetryable(message, kind, details);
}

export async function transferWorkflow(input: TransferInput): Promise<TransferState> {
  const pack: PolicyPack =
    policyById(input.policyId) ?? refuseWith('validation', `unknown policy pack ${input.policyId}`);
  let state = newTransfer({
    id: input.id,
    application: input.application,
    createdBy: input.createdBy,
    pack,
    nowMs: Date.now(),
  });
  let version = 0;
  const referenced = new Set<string>();

  /** What the validator asks: would this command be allowed now? Refuses by throwing, synchronously. */
  const validate = (command: Command): void => {
    const outcome = decide(state, command, Date.now(), pack);
    if (!outcome.ok)
      refuseWith(outcome.refusal.kind, outcome.refusal.message, { errors: outcome.refusal.errors ?? [] });
  };
  /** What the handler does: apply the command and publish the new state. */
  const apply = (command: Command): TransferState => {
    const outcome = decide(state, command, Date.now(), pack);
    if (!outcome.ok)
      refuseWith(outcome.refusal.kind, outcome.refusal.message, { errors: outcome.refusal.errors ?? [] });
    state = outcome.state;
    version++;
    publish(state);
    return state;
  };

  const on = <I extends object>(type: Command['type'], def: Parameters<typeof setHandler>[0]) =>
    setHandler(def as never, ((payload: I) => apply({ type, ...payload } as unknown as Command)) as never, {
      validator: ((payload: I) => validate({ type, ...payload } as unknown as Command)) as never,
    });
  on('edit', editUpdate);
  on('submit', submitUpdate);
  on('completeness', completenessUpdate);
  on('supplement', supplementUpdate);
  on('withdraw', withdrawUpdate);
  setHandler(stateQuery, () => state);

  publish(state);

  while (!isTerminal(state.status)) {
    await linkDocuments();
    const seen = version;
    const next = nextDeadline(state);
    const wait = next ? Math.max(1, Date.parse(next.dueAt!) - Date.now()) : undefined;
    const changed =
      wait === undefined
        ? (await condition(() => version !== seen), true)
        : await condition(() => version !== seen, wait);
    if (!changed && next) apply({ type: 'deadline_passed', step: next.step });
  }
  await linkDocuments();
  await condition(allHandlersFinished);
  return state;

  /** Let the parties of this transfer read the documents it references (an idempotent evidence-store write). */
  async function linkDocuments(): Promise<void> {
    if (state.status === 'draft') return;
    const ids = (state.application.materials ?? [])
      .map((m) => m.documentId)
      .filter((id) => !referenced.has(id));
    const answers = state.supplementRequests
      .flatMap((r) => r.items.map((i) => i.response?.documentId))
      .filter((id): id is string => !!id && !referenced.has(id));
    const documentIds = [...new Set([...ids, ...answers])];
    if (documentIds.length === 0) return;
    await evidence.linkDocuments({
      transferId: state.id,
      documentIds,
      applicantOrg: state.applicantOrg,
      recipientId: state.application.recipient?.id ?? null,
    });
    documentIds.forEach((id) => referenced.add(id));
  }
}

/** Search attributes and memo: opaque ids and statuses only; the title (memo) is encrypted with payloads. */
function publish(state: TransferState): void {
  const next = nextDeadline(state);
  const who = awaiting(state)[0]?.role;
  const info = workflowInfo();
  upsertSearchAttributes([
    { key: sa.status, value: state.status },
    { key: sa.phase, value: phase(state) },
    { key: sa.applicantOrg, value: state.applicantOrg },
    { key: sa.overdue, value: isOverdue(state) },
    ...(state.route?.route ? [{ key: sa.route, value: state.route.route }] : []),
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
  ] as Parameters<typeof upsertSearchAttributes>[0]);
  if (info.memo?.title !== state.application.title) upsertMemo({ title: state.application.title ?? null });
}
