/**
 * Completeness check (受理, DOMAIN.md step 2) and supplementation: the reviewer accepts, refuses intake, or asks
 * for itemised supplements (one consolidated round at a time, the reviewer's clock paused); the applicant answers
 * every item, or the case is terminated when the 10-WD answer deadline passes.
 */
import type { MaterialKind } from '../application';
import type { Actor } from '../authz';
import { checkMaterials } from '../completeness';
import { pauseDeadline, resumeDeadline, startDeadline } from '../deadlines';
import type { PolicyPack } from '../policy';
import {
  record,
  refuse,
  withoutDeadline,
  type Outcome,
  type SupplementRound,
  type TransferState,
} from '../transfer-state';
import { isoAt, system, type DeadlineConsequence, type Handler, type PhaseRules } from './types';

export type SupplementItemRequest = { material?: MaterialKind; field?: string; request: string };

export type CompletenessCommand =
  | {
      type: 'completeness';
      actor: Actor;
      decision: 'accept' | 'request_supplement' | 'refuse';
      items?: SupplementItemRequest[];
      reason?: string;
    }
  | {
      type: 'supplement';
      actor: Actor;
      responses: { itemId: string; text?: string; documentId?: string; issuedOn?: string }[];
    };

type On<T extends CompletenessCommand['type']> = Handler<Extract<CompletenessCommand, { type: T }>>;

/** Open a supplementation round: itemised, numbered, pausing the phase's reviewer clock. */
export function openSupplementRound(
  state: TransferState,
  actor: Actor,
  items: SupplementItemRequest[] | undefined,
  phase: 'completeness' | 'substantive_review',
  nowMs: number,
  pack: PolicyPack,
  reason?: string,
): Outcome {
  const list = items ?? [];
  if (list.length === 0)
    return refuse('validation', 'a supplementation request lists at least one item', [
      { pointer: '/items', detail: 'at least one item' },
    ]);
  const bad = list.findIndex((i) => (i.material === undefined) === (i.field === undefined));
  if (bad >= 0)
    return refuse('validation', 'each item names either a material or a field', [
      { pointer: `/items/${bad}`, detail: 'exactly one of material, field' },
    ]);
  const round = state.supplementRequests.length + 1;
  const answerBy = startDeadline('supplement_answer', nowMs, pack);
  const clock = phase === 'completeness' ? 'completeness_decision' : 'substantive_review';
  const opened: SupplementRound = {
    round,
    phase,
    requestedBy: actor.sub,
    requestedAt: isoAt(nowMs),
    items: list.map((i, n) => ({
      itemId: `r${round}-${n + 1}`,
      material: i.material,
      field: i.field,
      request: i.request,
    })),
    dueAt: answerBy.dueAt,
    status: 'open',
  };
  return record(
    state,
    nowMs,
    {
      action: `${phase === 'completeness' ? 'completeness' : 'review'}.request_supplement`,
      by: actor.sub,
      role: actor.role,
      reason,
      details: { round },
    },
    {
      status: 'awaiting_supplement',
      supplementPhase: phase,
      deadlines: [
        ...state.deadlines.map((d) => (d.step === clock ? pauseDeadline(d, nowMs, pack) : d)),
        answerBy,
      ],
      supplementRequests: [...state.supplementRequests, opened],
    },
  );
}

const completeness: On<'completeness'> = (state, command, nowMs, pack) => {
  const { actor } = command;
  if (command.decision === 'request_supplement')
    return openSupplementRound(state, actor, command.items, 'completeness', nowMs, pack, command.reason);
  if (command.decision === 'refuse') {
    if (!command.reason?.trim())
      return refuse('validation', 'a refusal needs a reason', [
        { pointer: '/reason', detail: 'required when refusing' },
      ]);
    return record(
      state,
      nowMs,
      { action: 'completeness.refuse', by: actor.sub, role: actor.role, reason: command.reason },
      { status: 'refused', deadlines: [] },
    );
  }
  if (state.findings.length > 0) {
    return refuse(
      'materials-incomplete',
      `the automated check has open findings: ${state.findings.map((f) => `${f.material} ${f.problem}`).join('; ')}; request supplementation or refuse`,
    );
  }
  return record(
    state,
    nowMs,
    { action: 'completeness.accept', by: actor.sub, role: actor.role, reason: command.reason },
    {
      status: 'under_review',
      deadlines: [
        ...withoutDeadline(state, 'completeness_decision'),
        startDeadline('substantive_review', nowMs, pack),
      ],
    },
  );
};

/** Field errors of an answer to the open round: each open item answered once, material items with a document. */
function answerErrors(
  open: SupplementRound,
  responses: Extract<CompletenessCommand, { type: 'supplement' }>,
): { pointer: string; detail: string }[] {
  const errors: { pointer: string; detail: string }[] = [];
  const answered = new Set(responses.responses.map((r) => r.itemId));
  responses.responses.forEach((r, n) => {
    const item = open.items.find((i) => i.itemId === r.itemId);
    if (!item)
      errors.push({
        pointer: `/responses/${n}/itemId`,
        detail: `no open item ${r.itemId} in round ${open.round}`,
      });
    else if (!r.text?.trim() && !r.documentId)
      errors.push({ pointer: `/responses/${n}`, detail: 'answer with text or a documentId' });
    else if (item.material && !r.documentId)
      errors.push({
        pointer: `/responses/${n}/documentId`,
        detail: `item ${item.itemId} asks for the ${item.material} document`,
      });
  });
  open.items.forEach((i) => {
    if (!answered.has(i.itemId))
      errors.push({ pointer: '/responses', detail: `item ${i.itemId} is not answered` });
  });
  if (answered.size !== responses.responses.length)
    errors.push({ pointer: '/responses', detail: 'each item is answered once' });
  return errors;
}

const supplement: On<'supplement'> = (state, command, nowMs, pack) => {
  const open = state.supplementRequests.find((r) => r.status === 'open');
  if (!open) return refuse('wrong-phase', 'no supplementation round is open');
  const errors = answerErrors(open, command);
  // the answers are well-formed (the API checked); whether they fit the open round is a rule of its state
  if (errors.length > 0) return refuse('rule-violation', 'every open item must be answered, once', errors);
  const byId = new Map(command.responses.map((r) => [r.itemId, r]));
  const at = isoAt(nowMs);
  let materials = [...(state.application.materials ?? [])];
  const items = open.items.map((i) => {
    const r = byId.get(i.itemId)!;
    if (i.material && r.documentId) {
      materials = [
        ...materials.filter((m) => m.kind !== i.material),
        { kind: i.material, documentId: r.documentId, issuedOn: r.issuedOn },
      ];
    }
    return { ...i, response: { text: r.text, documentId: r.documentId, at } };
  });
  const application = { ...state.application, materials };
  const route = state.route?.route;
  return record(
    state,
    nowMs,
    { action: 'supplement', by: command.actor.sub, role: command.actor.role, details: { round: open.round } },
    {
      status: open.phase === 'completeness' ? 'completeness_check' : 'under_review',
      application,
      findings: route && route !== 'exempt' ? checkMaterials(application, route, pack, nowMs) : [],
      supplementRequests: state.supplementRequests.map((r) =>
        r === open ? { ...r, items, status: 'answered' as const } : r,
      ),
      deadlines: withoutDeadline(state, 'supplement_answer').map((d) =>
        d.paused ? resumeDeadline(d, nowMs, pack) : d,
      ),
    },
  );
};

const supplementMissed: DeadlineConsequence = (state, _deadline, nowMs) =>
  record(
    state,
    nowMs,
    {
      ...system,
      action: 'deadline.supplement_answer',
      reason: 'no answer to the supplementation request in time',
    },
    {
      status: 'terminated',
      deadlines: [],
      supplementRequests: state.supplementRequests.map((r) =>
        r.status === 'open' ? { ...r, status: 'expired' as const } : r,
      ),
    },
  );

export const completenessPhase: PhaseRules<CompletenessCommand> = {
  commands: { completeness, supplement },
  awaiting: {
    completeness_check: () => [{ role: 'reviewer', action: 'completeness' }],
    awaiting_supplement: () => [{ role: 'applicant', action: 'supplement' }],
  },
  deadlines: { supplement_answer: supplementMissed },
};
