/** The `Transfer` resource as a caller sees it: derived at read time (working days left use the real clock). */
import { redactForRecipient } from '../domain/application';
import { spelledDecision, type Actor } from '../domain/authz';
import { viewDeadline } from '../domain/deadlines';
import { pinnedPolicy, policyRef } from '../domain/policy';
import {
  awaiting,
  phase,
  requiredMaterials,
  separationOfDuties,
  type TransferState,
} from '../domain/transfer';
import { HttpProblem } from './problems';
import type { TransferView } from './schemas';

/** Supervision as API.md promises it: the next report's due instant and the fines beside every measure. */
function supervisionView(state: TransferState): TransferView['supervision'] {
  const sup = state.supervision;
  if (!sup) return null;
  const report = state.deadlines.find((d) => d.step === 'supervision_report');
  return {
    ...sup,
    nextReportDue: report?.dueAt ?? null,
    fines: sup.actions.flatMap((a) =>
      a.kind === 'fine' && a.amount ? [{ at: a.at, by: a.by, reason: a.reason, amount: a.amount }] : [],
    ),
  };
}

export function toTransferView(state: TransferState, actor: Actor, nowMs: number): TransferView {
  // the version the transfer pinned, with its calendar: never the newest pack
  const pack = pinnedPolicy(state);
  if (!pack) {
    // a transfer submitted under a version this process does not hold yet (a rolling deployment): try again later
    throw new HttpProblem(
      'unavailable',
      `policy ${policyRef(state.policy)} is not deployed on this API process yet`,
      undefined,
      30,
    );
  }
  const forRecipient = actor.role === 'recipient';
  return {
    id: state.id,
    title: state.application.title ?? null,
    status: state.status,
    phase: phase(state),
    route: state.route,
    policy: state.policy,
    application: forRecipient ? redactForRecipient(state.application) : state.application,
    findings: forRecipient ? [] : state.findings,
    materialsRequired: forRecipient ? [] : requiredMaterials(state, pack),
    deadlines: state.deadlines.map((d) => viewDeadline(d, nowMs, pack)),
    awaiting: awaiting(state, nowMs),
    risk: forRecipient ? null : state.risk,
    review: forRecipient ? null : state.review,
    separationOfDuties: forRecipient ? null : separationOfDuties(state, pack),
    conditions: state.conditions,
    decisions: state.decisions.map(({ action, by, role, at, reason }) => ({
      action: spelledDecision(action),
      by,
      role,
      at,
      ...(reason ? { reason } : {}),
    })),
    supplementRequests: forRecipient
      ? []
      : state.supplementRequests.map(({ round, items, dueAt, status }) => ({ round, items, dueAt, status })),
    escalations: forRecipient ? [] : state.escalations,
    agreement: state.agreement ? (({ countersignedBy: _c, ...a }) => a)(state.agreement) : null,
    filing: forRecipient ? null : state.filing,
    // a pack with a register of its own (eu-gdpr) numbers the transfer there: no regulator filing number
    filingNumber: pack.flow ? null : state.filingNumber,
    registerNumber: pack.flow ? state.filingNumber : null,
    eu: forRecipient ? null : (state.eu ?? null),
    validity: state.validity,
    supervision: forRecipient ? null : supervisionView(state),
    change: forRecipient ? null : (state.change as Record<string, unknown> | null),
    extension: forRecipient ? null : (state.extension as Record<string, unknown> | null),
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    submittedAt: state.submittedAt,
  };
}
