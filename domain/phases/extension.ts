/**
 * Validity and extension (DOMAIN.md step 8): an approval is valid for a term; an extension window opens the
 * pack's working days before expiry (cn-2024: 60); eligibility (same purpose, scope and parties; growth within the
 * pack's limit; no major incident) is computed and shown; an approved extension adds the pack's validity,
 * otherwise the transfer expires.
 */
import type { Actor } from '../authz';
import { addMonths, workingDaysBefore } from '../calendar';
import { deadlineAt } from '../deadlines';
import type { PolicyPack } from '../policy';
import {
  record,
  refuse,
  withoutDeadline,
  type ExtensionRequest,
  type TransferState,
  type Validity,
} from '../transfer-state';
import { underSupervision } from './supervision';
import { isoAt, system, type DeadlineConsequence, type Handler, type PhaseRules } from './types';

export type ExtensionCommand =
  | { type: 'request_extension'; actor: Actor; expectedIndividuals: number; notes?: string }
  | { type: 'extension_decision'; actor: Actor; decision: 'approve' | 'deny'; reason: string };

type On<T extends ExtensionCommand['type']> = Handler<Extract<ExtensionCommand, { type: T }>>;

/** A validity period and the day its extension window opens (the pack's working days before it ends). */
export function validityWindow(from: string, until: string, pack: PolicyPack): Validity {
  return {
    from,
    until,
    extensionWindowOpensAt: workingDaysBefore(
      Date.parse(until) - 1,
      pack.extensionWindowWorkingDays,
      pack.calendar,
    ),
  };
}

export function extensionEligibility(
  state: TransferState,
  expectedIndividuals: number,
  pack: PolicyPack,
): ExtensionRequest['eligibility'] {
  const approved = state.application.volume?.individualsYtd ?? 0;
  // no approved volume: any expected transfer counts as 100 % growth
  const growth =
    approved === 0 ? (expectedIndividuals > 0 ? 1 : 0) : (expectedIndividuals - approved) / approved;
  const partiesChanged = state.changesAccepted.some((c) =>
    c.kinds.some((k) => ['purpose', 'scope', 'recipient', 'control'].includes(k)),
  );
  const noMajorIncident = !(state.supervision?.incidents ?? []).some((i) => i.severity === 'major');
  const reasons: string[] = [];
  if (partiesChanged) reasons.push('purpose, scope or parties changed since approval');
  if (growth > pack.extensionGrowthLimit)
    reasons.push(
      `growth of ${Math.round(growth * 100)} % exceeds ${Math.round(pack.extensionGrowthLimit * 100)} %`,
    );
  if (!noMajorIncident) reasons.push('a major incident was reported');
  return {
    eligible: reasons.length === 0,
    samePurposeScopeParties: !partiesChanged,
    growth: Math.round(growth * 1000) / 1000,
    noMajorIncident,
    reasons,
  };
}

const requestExtension: On<'request_extension'> = (state, c, nowMs, pack) => {
  if (state.status !== 'active')
    return refuse(
      'wrong-phase',
      `an extension is requested on an active transfer, not one that is ${state.status}`,
    );
  const opens = Date.parse(state.validity!.extensionWindowOpensAt);
  if (nowMs < opens)
    return refuse('wrong-phase', `the extension window opens ${state.validity!.extensionWindowOpensAt}`);
  const eligibility = extensionEligibility(state, c.expectedIndividuals, pack);
  return record(
    state,
    nowMs,
    {
      action: 'request_extension',
      by: c.actor.sub,
      role: c.actor.role,
      details: { eligible: eligibility.eligible },
    },
    {
      status: 'extension_requested',
      extension: {
        requestedAt: isoAt(nowMs),
        expectedIndividuals: c.expectedIndividuals,
        notes: c.notes,
        eligibility,
      },
    },
  );
};

const extensionDecision: On<'extension_decision'> = (state, c, nowMs, pack) => {
  const ext = state.extension;
  if (!ext) return refuse('wrong-phase', 'no extension is requested');
  if (!c.reason.trim())
    return refuse('validation', 'an extension decision needs a reason', [
      { pointer: '/reason', detail: 'required' },
    ]);
  if (c.decision === 'approve' && !ext.eligibility.eligible) {
    return refuse('rule-violation', `not eligible for extension: ${ext.eligibility.reasons.join('; ')}`);
  }
  const decision = {
    action: `extension_decision.${c.decision}`,
    by: c.actor.sub,
    role: c.actor.role,
    reason: c.reason,
  };
  if (c.decision === 'deny') return record(state, nowMs, decision, { status: 'active', extension: null });
  const until = addMonths(
    Date.parse(state.validity!.until) - 1,
    pack.validityYears * 12,
    pack.calendar,
  ).dueAt;
  return record(
    state,
    nowMs,
    { ...decision, details: { until } },
    {
      status: 'active',
      extension: null,
      validity: validityWindow(state.validity!.from, until, pack),
      deadlines: [
        ...withoutDeadline(state, 'extension_window'),
        deadlineAt('extension_window', Date.parse(until), nowMs, pack),
      ],
    },
  );
};

const expired: DeadlineConsequence = (state, _deadline, nowMs) =>
  record(
    state,
    nowMs,
    { ...system, action: 'deadline.expiry', reason: `validity ended ${state.validity?.until}` },
    { status: 'expired', deadlines: [], change: null, extension: null },
  );

export const extensionPhase: PhaseRules<ExtensionCommand> = {
  commands: {
    request_extension: underSupervision(requestExtension),
    extension_decision: underSupervision(extensionDecision),
  },
  awaiting: {
    extension_requested: () => [{ role: 'reviewer', action: 'extension-decision' }],
  },
  deadlines: { extension_window: expired },
};
