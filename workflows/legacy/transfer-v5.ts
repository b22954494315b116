/**
 * The transfer workflow as code versions 1–5 wrote it, frozen: histories recorded by those versions (and runs they
 * continued as new) replay through this function, exactly as they were written. New workflows take the v6 path
 * (workflows/transfer.ts). Do not change the command sequence here; fix bugs in v6.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  CancellationScope,
  makeContinueAsNewFunc,
  currentUpdateInfo,
  patched,
  sleep,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { createActivities } from '../../activities';
import { isTerminal } from '../../domain/lifecycle';
import { PRE_VERSIONING_POLICY_VERSION, resolvePolicy, type PolicyPack } from '../../domain/policy';
import { decide, newTransfer, nextDeadline, type Command, type TransferState } from '../../domain/transfer';
import {
  cursorFor,
  pendingEvidence,
  type EvidenceCursor,
  type NotificationInput,
} from '../../domain/evidence';
import { createPublisher } from '../transfer/publish';
import { actionUpdates, recomputeDeadlinesUpdate, stateQuery, type TransferInput } from '../messages';

const evidence = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '1 minute' },
});
/** Since v5: the evidence store write of each step, a local activity (one marker event, idempotent by key). */
const evidenceStore = proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '10 seconds' },
});

/** Command-sequence changes since the first release, by code version (v1 had none); recorded histories of every version replay in CI. */
const PATCHES: Record<number, string> = {
  2: 'v2-keep-deadline-timers-and-publish-changes-only',
  3: 'v3-exempt-recheck',
  4: 'v4-notify-deadline-consequences',
  5: 'v5-evidence-store-audit-trail',
};
/** The code version this file implements; a run continued as new by it starts at this version. */
const CODE_VERSION = 5;

/** How many applied update ids a run carries into the next one. */
const MAX_CARRIED_UPDATE_IDS = 500;

function refuseWith(kind: string, message: string, details?: unknown): never {
  throw ApplicationFailure.nonRetryable(message, kind, details);
}

export async function transferWorkflowV5(input: TransferInput): Promise<TransferState> {
  // every history of code versions 1–5 ran under the version its state pinned (2024.1, the only one then)
  const pack: PolicyPack =
    resolvePolicy(input.policyId, input.carried?.state.policy.version ?? PRE_VERSIONING_POLICY_VERSION) ??
    refuseWith('validation', `unknown policy pack ${input.policyId}`);
  let state =
    input.carried?.state ??
    newTransfer({
      id: input.id,
      application: input.application,
      createdBy: input.createdBy,
      pack,
      nowMs: Date.now(),
      rulesVersion: 1, // the rules these histories were written under
    });
  /**
   * Whether this run runs code version `v` or later. A run that this code continued as new is (its input says
   * so) and records no markers; the first run of a workflow asks `patched()`, so a history written by older
   * code replays along the old path.
   */
  const since = (v: number): boolean => (input.codeVersion ?? 0) >= v || patched(PATCHES[v]!);
  const publish = createPublisher(input.carried?.state, since);
  let version = 0;
  let settling: Promise<void> | undefined;
  // Update ids applied in this run and carried from earlier runs, so a retried request stays applied once
  // across continue-as-new (Temporal deduplicates update ids only within a run).
  const processed: string[] = [...(input.carried?.processedUpdateIds ?? [])];
  const seenUpdate = (): boolean => {
    const id = currentUpdateInfo()?.id;
    return id !== undefined && processed.includes(id);
  };
  const remember = (): void => {
    const id = currentUpdateInfo()?.id;
    if (id === undefined) return;
    processed.push(id);
    if (processed.length > MAX_CARRIED_UPDATE_IDS)
      processed.splice(0, processed.length - MAX_CARRIED_UPDATE_IDS);
  };
  const periodAtStart = state.supervision?.periodStart;
  // what was notified already (a continued run carries state whose notices went out before it continued)
  const notified = {
    escalations: input.carried ? state.escalations.length : 0,
    system: input.carried
      ? state.decisions.filter((d) => d.role === 'system' && d.action.startsWith('deadline.')).length
      : 0,
  };
  const referenced = new Set<string>();
  // v5: how far this transfer's evidence is in the store (a run continued from older code backfills its audit)
  let cursor: EvidenceCursor = input.carried?.evidence ?? cursorFor(state, input.carried !== undefined);
  let recorded = input.carried?.evidence
    ? { status: state.status as string, application: state.application }
    : { status: '', application: undefined as TransferState['application'] | undefined };

  /** The domain decision; an unexpected error (a bug) becomes a non-retryable failure, never a plain Error. */
  const decideSafely = (command: Command): ReturnType<typeof decide> => {
    try {
      return decide(state, command, Date.now(), pack);
    } catch (err) {
      return refuseWith(
        'internal',
        `the ${command.type} decision failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };
  /** What the validator asks: would this command be allowed now? Refuses by throwing, synchronously. */
  const validate = (command: Command): void => {
    const outcome = decideSafely(command);
    if (!outcome.ok)
      refuseWith(outcome.refusal.kind, outcome.refusal.message, { errors: outcome.refusal.errors ?? [] });
  };
  /** What the handler does: apply the command and publish the new state. */
  const apply = (command: Command): TransferState => {
    const outcome = decideSafely(command);
    if (!outcome.ok)
      refuseWith(outcome.refusal.kind, outcome.refusal.message, { errors: outcome.refusal.errors ?? [] });
    state = outcome.state;
    // v3: an exempt record gets a yearly re-check clock; workflows that became exempt before v3 keep none.
    if (command.type === 'submit' && state.status === 'exempt' && !since(3)) {
      state = { ...state, deadlines: state.deadlines.filter((d) => d.step !== 'exempt_recheck') };
    }
    version++;
    publish(state);
    return state;
  };

  /** A system step (an activity's result): applied unless the state moved on meanwhile (e.g. withdrawn). */
  const applyIfStillDue = (command: Command): void => {
    const outcome = decide(state, command, Date.now(), pack);
    if (!outcome.ok) return;
    state = outcome.state;
    version++;
    publish(state);
  };

  // Every human action: validator first (refuses without a trace), then the same decision applied, then the
  // side effects the new state needs (risk score, agreement, filing number) before the caller gets the answer.
  for (const [type, def] of Object.entries(actionUpdates)) {
    setHandler(
      def as unknown as UpdateDefinition<TransferState, [object]>,
      async (payload: object) => {
        if (seenUpdate()) return state;
        apply({ type, ...payload } as unknown as Command);
        remember();
        await settle();
        return state;
      },
      {
        validator: (payload: object) => {
          if (!seenUpdate()) validate({ type, ...payload } as unknown as Command);
        },
      },
    );
  }
  setHandler(
    recomputeDeadlinesUpdate as unknown as UpdateDefinition<TransferState, []>,
    () => {
      apply({ type: 'recompute_deadlines' });
      return state;
    },
    { validator: () => validate({ type: 'recompute_deadlines' }) },
  );
  setHandler(stateQuery, () => state);

  publish(state);

  // Since v2 a deadline's timer lives until that deadline moves: a state change that leaves the nearest
  // deadline where it was cancels nothing and starts nothing (fewer history events per supervision year).
  const keepTimers = since(2);
  let timer: { dueAt: string; scope: CancellationScope; fired: Promise<boolean> } | undefined;
  while (!isTerminal(state.status)) {
    await settle();
    if (since(5)) await record();
    else await linkDocuments();
    const seen = version;
    const next = nextDeadline(state);
    let changed: boolean;
    if (keepTimers) {
      if (timer && timer.dueAt !== next?.dueAt) {
        timer.scope.cancel();
        timer = undefined;
      }
      if (next?.dueAt && !timer) {
        const scope = new CancellationScope();
        const ms = Math.max(1, Date.parse(next.dueAt) - Date.now());
        const fired = scope
          .run(() => sleep(ms))
          .then(
            () => true,
            () => false,
          );
        timer = { dueAt: next.dueAt, scope, fired };
      }
      const stateChanged = condition(() => version !== seen).then(() => true);
      changed = timer ? await Promise.race([stateChanged, timer.fired.then((f) => !f)]) : await stateChanged;
      if (!changed) timer = undefined;
    } else {
      const wait = next ? Math.max(1, Date.parse(next.dueAt!) - Date.now()) : undefined;
      changed =
        wait === undefined
          ? (await condition(() => version !== seen), true)
          : await condition(() => version !== seen, wait);
    }
    if (!changed && next) apply({ type: 'deadline_passed', step: next.step });
    if (shouldContinueAsNew()) {
      if (since(5)) await record();
      else if (since(4)) await notifyNew();
      await condition(allHandlersFinished);
      return makeContinueAsNewFunc<typeof transferWorkflowV5>({
        memo: { title: state.application.title ?? null },
      })({
        ...input,
        application: state.application,
        carried: { state, processedUpdateIds: processed, evidence: cursor },
        codeVersion: CODE_VERSION,
      });
    }
  }
  if (since(5)) {
    await condition(allHandlersFinished);
    await record();
  } else {
    await linkDocuments();
    if (since(4)) await notifyNew();
  }
  await condition(allHandlersFinished);
  return state;

  /**
   * v5: one idempotent evidence-store write for what happened since the last one: audit entries, documents
   * the parties may now read, notifications. Nothing to write, nothing scheduled.
   */
  async function record(): Promise<void> {
    const notices = collectNotices();
    const { entries, notifications, next } = pendingEvidence(state, cursor);
    const documentIds = unreferencedDocuments();
    const application = state.application !== recorded.application ? state.application : undefined;
    const nothing =
      entries.length + notifications.length + notices.items.length + documentIds.length === 0 &&
      state.status === recorded.status &&
      application === undefined;
    if (nothing) return;
    const snapshot = state;
    await evidenceStore.recordEvidence({
      facts: {
        transferId: snapshot.id,
        applicantOrg: snapshot.applicantOrg,
        recipientId: snapshot.application.recipient?.id ?? null,
        status: snapshot.status,
        application,
        at: new Date(Date.now()).toISOString(),
      },
      entries,
      documentIds,
      notifications: [...notices.items, ...notifications],
    });
    cursor = next;
    notices.commit();
    documentIds.forEach((id) => referenced.add(id));
    recorded = { status: snapshot.status, application: snapshot.application };
  }

  /** Escalations and deadline consequences since the last call go to the notification outbox. */
  async function notifyNew(): Promise<void> {
    const notices = collectNotices();
    if (notices.items.length === 0) return;
    await evidence.notify({ notifications: notices.items });
    notices.commit();
  }

  /** The escalation and deadline-consequence notices not sent yet, and how to mark them sent. */
  function collectNotices(): { items: NotificationInput[]; commit: () => void } {
    const escalations = state.escalations.slice(notified.escalations);
    const systemDecisions = state.decisions.filter(
      (d) => d.role === 'system' && d.action.startsWith('deadline.'),
    );
    const fresh = systemDecisions.slice(notified.system);
    const base = {
      transferId: state.id,
      applicantOrg: state.applicantOrg,
      recipientId: state.application.recipient?.id ?? null,
    };
    const notifications = [
      ...escalations.map((e, i) => {
        const who = state.deadlines.find((d) => d.step === e.step)?.actor ?? 'reviewer';
        return {
          ...base,
          key: `${state.id}:escalation:${notified.escalations + i}`,
          audience: who,
          kind: who === 'reviewer' ? 'overdue' : 'warning',
          message: e.notice,
          createdAt: e.at,
        };
      }),
      ...fresh.map((d, i) => ({
        ...base,
        key: `${state.id}:deadline:${notified.system + i}`,
        audience: 'applicant' as const,
        kind: d.action,
        message: d.reason ?? d.action,
        createdAt: d.at,
      })),
    ];
    return {
      items: notifications,
      commit: () => {
        notified.escalations += escalations.length;
        notified.system += fresh.length;
      },
    };
  }

  /** A long supervision continues as new per reporting period, or when the server suggests it. */
  function shouldContinueAsNew(): boolean {
    if (isTerminal(state.status) || (!state.supervision && state.status !== 'exempt')) return false;
    const info = workflowInfo();
    return (
      info.continueAsNewSuggested ||
      info.historyLength > 1_500 ||
      (state.supervision !== null && state.supervision.periodStart !== periodAtStart)
    );
  }

  /** Run the activities the current state calls for; one run at a time, re-checked after each step. */
  async function settle(): Promise<void> {
    while (settling) await settling;
    settling = (async () => {
      if (state.status === 'risk_assessment' && !state.risk) {
        const risk = await evidence.scoreRisk({
          application: state.application,
          route: state.route?.route ?? null,
          policyId: pack.id,
        });
        applyIfStillDue({ type: 'risk_scored', risk });
      }
      if (state.status === 'awaiting_signature' && !state.agreement) {
        const approvedBy = state.approvals.map((a) => a.by);
        const rendered = await evidence.renderAgreement({
          transferId: state.id,
          application: state.application,
          route: state.route?.route ?? 'unknown',
          policy: state.policy,
          conditions: state.conditions.map(({ id, text }) => ({ id, text })),
          approvedAt: state.approvedAt!,
          approvedBy: approvedBy.length ? approvedBy : [state.decisions.at(-1)?.by ?? 'unknown'],
        });
        applyIfStillDue({ type: 'agreement_rendered', ...rendered });
      }
      if (state.status === 'change_review' && state.change && !state.change.risk) {
        const risk = await evidence.scoreRisk({
          application: state.change.proposed,
          route: state.change.route.route,
          policyId: pack.id,
        });
        applyIfStillDue({ type: 'change_scored', risk });
      }
      if (since(4) && !since(5)) await notifyNew();
      if (!state.filingNumber && state.decisions.some((d) => d.action === 'filing_decision.accept')) {
        const at = new Date(Date.now()).toISOString();
        const filingNumber = await evidence.issueFilingNumber({
          transferId: state.id,
          year: Number(at.slice(0, 4)),
          at,
        });
        applyIfStillDue({ type: 'filing_number_issued', filingNumber });
      }
    })();
    try {
      await settling;
    } finally {
      settling = undefined;
    }
  }

  /** Let the parties of this transfer read the documents it references (an idempotent evidence-store write). */
  async function linkDocuments(): Promise<void> {
    const documentIds = unreferencedDocuments();
    if (documentIds.length === 0) return;
    await evidence.linkDocuments({
      transferId: state.id,
      documentIds,
      applicantOrg: state.applicantOrg,
      recipientId: state.application.recipient?.id ?? null,
    });
    documentIds.forEach((id) => referenced.add(id));
  }

  /** Documents the transfer references that its parties may not read yet (none while a draft). */
  function unreferencedDocuments(): string[] {
    if (state.status === 'draft') return [];
    const ids = (state.application.materials ?? [])
      .map((m) => m.documentId)
      .filter((id) => !referenced.has(id));
    const agreement = [state.agreement?.documentId, state.agreement?.signedDocumentId].filter(
      (id): id is string => !!id && !referenced.has(id),
    );
    const answers = state.supplementRequests
      .flatMap((r) => r.items.map((i) => i.response?.documentId))
      .filter((id): id is string => !!id && !referenced.has(id));
    return [...new Set([...ids, ...answers, ...agreement])];
  }
}
