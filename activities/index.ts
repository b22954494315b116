/**
 * Activities: the workflow's side effects, as a factory over injected dependencies so that `worker.ts` wires
 * the real ones and tests wire their own.
 */
import type { PartialApplication } from '../domain/application';
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { policyRef, PRE_VERSIONING_POLICY_VERSION, resolvePolicy, type PolicyRef } from '../domain/policy';

export { PRE_VERSIONING_POLICY_VERSION };
import type { Route } from '../domain/policy';
import { scoreRisk, type RiskAssessment } from '../domain/risk';
import type { Client } from '@temporalio/client';
import { remindersDue } from '../domain/reminders';
import { awaiting } from '../domain/transfer';
import { stateQuery } from '../workflows/messages';
import { renderAgreementText } from './agreement';
import type { Store } from '../store';
import type { NotificationInput } from '../domain/evidence';
import type { StepEvidence } from '../domain/step-evidence';
import { webhookActivities } from './webhooks';

export interface ActivityDeps {
  store: Store;
  /** for the reminder sweep, which reads transfers through Temporal */
  client?: Client;
}

const SYSTEM = { sub: 'xborder', role: 'admin' as const };

/** The version of `cn-2024` every transfer ran under before packs were versioned (histories that send `policyId`). */

export function createActivities({ store, client }: ActivityDeps) {
  const readState = (workflowId: string) =>
    client!.connection.withDeadline(Date.now() + 5_000, () =>
      client!.workflow.getHandle(workflowId).query(stateQuery),
    );
  return {
    /** the webhook delivery workflow's: one attempt (`deliverWebhook`), the dead letter (`markWebhookDead`) */
    ...webhookActivities(store),

    /** Record that a transfer references documents, so its parties may read them. Idempotent. */
    linkDocuments(input: {
      transferId: string;
      documentIds: string[];
      applicantOrg: string;
      recipientId: string | null;
    }): Promise<void> {
      return store.documents.link(input.transferId, input.documentIds, input.applicantOrg, input.recipientId);
    },

    /**
     * The explainable risk score under the policy version the transfer pinned. Histories from before versioned
     * packs send `policyId` only: that is the version every transfer then ran under.
     */
    scoreRisk(input: {
      application: PartialApplication;
      route: Route | null;
      policy?: PolicyRef;
      /** @deprecated `policy`; alone it means version {@link PRE_VERSIONING_POLICY_VERSION} */
      policyId?: string;
    }): Promise<RiskAssessment> {
      const ref: PolicyRef | undefined =
        input.policy ??
        (input.policyId !== undefined
          ? { id: input.policyId, version: PRE_VERSIONING_POLICY_VERSION }
          : undefined);
      const pack = ref && resolvePolicy(ref.id, ref.version);
      if (!pack) {
        // retrying cannot make a version appear on this worker
        return Promise.reject(
          ApplicationFailure.nonRetryable(
            ref ? `unknown policy pack ${policyRef(ref)}` : 'scoreRisk needs the policy {id, version}',
            'internal',
          ),
        );
      }
      return Promise.resolve(scoreRisk(input.application, input.route, pack));
    },

    /** Render the agreement from the approved scope and conditions and store it; the same input gives the same digest. */
    async renderAgreement(
      input: Parameters<typeof renderAgreementText>[0] & { transferId: string },
    ): Promise<{ documentId: string; digest: string }> {
      const text = renderAgreementText(input);
      const meta = await store.documents.put(
        Buffer.from(text, 'utf8'),
        'text/plain',
        SYSTEM,
        input.approvedAt,
      );
      await store.documents.link(
        input.transferId,
        [meta.id],
        input.application.exporter?.org ?? '',
        input.application.recipient?.id ?? null,
      );
      return { documentId: meta.id, digest: meta.id.slice('sha256:'.length) };
    },

    /**
     * Everything a step of the workflow leaves in the evidence store, in one idempotent write (a local activity:
     * one marker in the history): new audit entries appended to the transfer's chain, documents its parties may
     * now read, notifications for whom the step concerns. A retry or a replay after a crash writes nothing twice.
     */
    recordEvidence(input: StepEvidence): Promise<number> {
      return store.recordStep(input);
    },

    async notify(input: { notifications: NotificationInput[] }): Promise<void> {
      for (const n of input.notifications) await store.notifications.add(n);
    },

    /**
     * Remind applicants and recipients whose deadlines have 2 working days left: read the running transfers with a
     * deadline in the next three weeks from visibility, ask each for its state, and put reminders in the outbox
     * (one per deadline instant; a repeated sweep writes nothing twice). Returns how many reminders it wrote.
     */
    async sweepReminders(input: { taskQueue: string; nowMs?: number }): Promise<number> {
      if (!client) throw new Error('sweepReminders needs a Temporal client');
      const nowMs = input.nowMs ?? Date.now();
      const horizon = new Date(nowMs + 21 * 86_400_000).toISOString();
      let written = 0;
      const query = `WorkflowType = 'transferWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${input.taskQueue.replace(/'/g, "''")}' AND NextDeadline <= '${horizon}'`;
      for await (const wf of client.workflow.list({ query })) {
        beat();
        let state: Awaited<ReturnType<typeof readState>>;
        try {
          state = await readState(wf.workflowId);
        } catch {
          continue; // one transfer that does not answer now is reminded at the next sweep
        }
        // the version the transfer pinned (remindersDue applies the calendar it pinned)
        const pack = resolvePolicy(state.policy.id, state.policy.version);
        if (!pack) continue; // a version this worker does not hold: the worker that does reminds
        for (const r of remindersDue(state, nowMs, pack)) {
          await store.notifications.add({
            key: r.key,
            transferId: state.id,
            audience: r.audience,
            applicantOrg: state.applicantOrg,
            recipientId: state.application.recipient?.id ?? null,
            kind: 'reminder',
            message: `${r.step} is due ${r.dueAt} (${r.workingDaysLeft} working day(s) left)`,
            createdAt: new Date(nowMs).toISOString(),
          });
          written++;
        }
      }
      // tasks that opened with time alone (a report window) since the last week: announced once each
      const since = new Date(nowMs - 7 * 86_400_000).toISOString();
      const opened = `WorkflowType = 'transferWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${input.taskQueue.replace(/'/g, "''")}' AND AwaitedFrom <= '${new Date(nowMs).toISOString()}' AND AwaitedFrom > '${since}'`;
      for await (const wf of client.workflow.list({ query: opened })) {
        let state: Awaited<ReturnType<typeof readState>>;
        try {
          state = await readState(wf.workflowId);
        } catch {
          continue;
        }
        const opensAt = wf.searchAttributes?.AwaitedFrom?.[0];
        for (const a of awaiting(state, nowMs)) {
          if (a.role === 'admin') continue;
          await store.notifications.add({
            key: `${state.id}:task-opened:${String(opensAt)}:${a.role}:${a.action}`,
            transferId: state.id,
            audience: a.role,
            applicantOrg: state.applicantOrg,
            recipientId: state.application.recipient?.id ?? null,
            kind: 'task',
            message: `${a.action} awaits you on "${state.application.title ?? state.id}"`,
            createdAt: new Date(nowMs).toISOString(),
          });
          written++;
        }
      }
      return written;
    },

    /** A unique, gap-free filing number, the same on every retry for the same transfer. */
    issueFilingNumber(input: { transferId: string; year: number; at: string }): Promise<string> {
      return store.filingNumbers.issue(input.transferId, input.year, input.at);
    },
    /** A pack's own register (eu-gdpr): `<series>-<year>-<seq>`, gap-free per series and year like filing numbers. */
    issueRegisterNumber(input: {
      transferId: string;
      series: string;
      year: number;
      at: string;
    }): Promise<string> {
      return store.filingNumbers.issueRegister(input.transferId, input.series, input.year, input.at);
    },
  };
}

/** Tell Temporal a long activity still lives (its heartbeatTimeout); a no-op outside an activity (tests call it). */
function beat(): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return;
  }
  context.heartbeat();
}
