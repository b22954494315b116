/**
 * The lifecycle of an eu-gdpr transfer (issue 13 item 3; EU-GDPR.md §4.4, §7, §9): the exporter's privacy office
 * (the `reviewer` role of the exporter's organisation or its DPO service) checks completeness, then reviews the
 * route, the six-step TIA and the §9 checklist and approves (a TIA "not effective", or any route blocker, refuses
 * the approval); SCC/BCR transfers go to the agreement phase (the importer — the recipient party — signs, the
 * exporter countersigns); there is no regulator filing: an approved transfer becomes `active` with an internal
 * register number (`EU-GDPR-<year>-<seq>`). Supervision is the §7 re-evaluation schedule: the TIA review (every
 * `tiaReviewMonths`) or the DPF List check opens a re-evaluation (`change_review`), as does an operator's event (a
 * DPF listing or an adequacy decision that changed); the applicant answers with the current facts and the privacy
 * office confirms (active again, the next review scheduled), suspends (Clause 16) or ends the transfer.
 *
 * Generic code dispatches to this through `PolicyPack.flow` (domain/transfer.ts); the statuses are the generic
 * ones (domain/lifecycle.ts). The application is ./application.ts, the pack the workflow computes with
 * ./workflow-pack.ts, the events that re-open transfers ./events.ts. Pure: no clock, no I/O.
 */
import type { PartialApplication } from '../../application';
import { actions, type Action, type Actor } from '../../authz';
import { dateOf, localDay } from '../../calendar';
import type { Finding } from '../../completeness';
import { startDeadline } from '../../deadlines';
import type { Refusal } from '../../errors';
import {
  completenessPhase,
  openSupplementRound,
  type SupplementItemRequest,
} from '../../phases/completeness';
import { checklistErrors } from '../../phases/review';
import { isoAt, system, type DeadlineConsequence, type Handler, type PackFlow } from '../../phases/types';
import {
  record,
  refuse,
  withoutDeadline,
  zodErrors,
  type Decision,
  type EuReEvaluation,
  type Outcome,
  type TransferState,
} from '../../transfer-state';
import type { PolicyPack, Route } from '../types';
import { euApplicationSchema, factsOf, type EuApplication } from './application';
import { euReviewChecklist } from './checklist';
import { euGdprFactsSchema, type EuGdprFacts } from './facts';
import { euApprovalGate, euMaterials, euRoute, type EuGdprPack } from './index';
import type { EuRouteAnswer } from './routes';

/** The register number series of eu-gdpr transfers (PackLifecycle.registerNumber). */
export const EU_REGISTER_SERIES = 'EU-GDPR';
const REGISTER_NUMBER = /^EU-GDPR-\d{4}-\d{6}$/;

/** The generic steps this lifecycle takes as they are (supplements, withdrawal, the importer's signature). */
const SHARED_STEPS: readonly Action[] = ['supplement', 'withdraw', 'sign'];
/** Its own steps, or generic ones it decides its own way (decided below). */
const OWN_STEPS: readonly Action[] = [
  'submit',
  'completeness',
  'countersign',
  'privacy_review',
  're_evaluate',
  're_evaluation_decision',
  'report_use',
];

/** Routes whose tool is a document the importer signs (the agreement phase). */
const AGREEMENT_ROUTES: readonly string[] = ['scc', 'bcr', 'other_art46'];
/** The document of the agreement phase, by route: the one the importer signs (annexes) or is bound by. */
const AGREEMENT_DOCUMENT: Readonly<Record<string, string>> = {
  scc: 'scc_signed',
  bcr: 'intra_group_agreement',
  other_art46: 'art46_instrument',
};

/** A privacy-office review: the §9 checklist of the transfer's route, then a decision. */
export interface PrivacyReviewCommand {
  type: 'privacy_review';
  actor: Actor;
  decision: 'approve' | 'reject' | 'request_supplement';
  checklist?: { item: string; result: 'pass' | 'concern' | 'fail'; note?: string }[];
  reason?: string;
  items?: SupplementItemRequest[];
}

export type EuCommand =
  | PrivacyReviewCommand
  | { type: 'register_number_issued'; registerNumber: string }
  | { type: 're_evaluate'; actor: Actor; facts: EuGdprFacts; note?: string }
  /** a use of a derogation-based transfer (§5.1, §7: re-checked for "occasional" on every use) */
  | {
      type: 'report_use';
      actor: Actor;
      on: string;
      frequency: 'occasional' | 'repetitive' | 'systematic';
      note?: string;
    }
  | {
      type: 're_evaluation_decision';
      actor: Actor;
      decision: 'confirm' | 'suspend' | 'end';
      reason?: string;
    }
  /**
   * An operator's event (no transfer party: `operator`, not `actor`, so the party scoping does not apply); the
   * handler checks the operator's role itself.
   */
  | { type: 'reopen'; operator: Actor; event: string; reason: string };

const today = (nowMs: number, pack: PolicyPack): string => dateOf(localDay(nowMs, pack.calendar));

/** The route stored on the state (the generic shape: route, the rules that fired with reasons, needs). */
function routeDecision(answer: EuRouteAnswer) {
  return {
    route: answer.route as unknown as Route,
    rules: answer.rules
      .filter((r) => r.outcome === 'holds')
      .map((r) => ({ id: r.id, reason: `${r.reason} (${r.source})` })),
    needsInfo: answer.needsInfo.map((n) => ({ field: n.field, reason: n.reason })),
    policy: answer.policy,
  };
}

/** Why a route cannot be submitted or kept: needs facts, not permitted, or not a restricted transfer at all. */
function routeRefusal(answer: EuRouteAnswer, prefix: string): Outcome | null {
  if (answer.route === 'needs_info')
    return refuse(
      'needs-info',
      `the route cannot be determined: ${answer.needsInfo.map((n) => n.field).join(', ')}`,
      answer.needsInfo.map((n) => ({
        pointer: `${prefix}/${n.field.replace(/\./g, '/')}`,
        detail: n.reason,
      })),
    );
  if (answer.route === 'not_permitted')
    return refuse(
      'rule-violation',
      `the transfer is not permitted (EU-8): ${answer.failingHops.map((h) => h || 'hop 0').join(', ')} has no basis`,
      answer.hops
        .filter((h) => h.route === 'not_permitted')
        .map((h) => ({
          pointer: `${prefix}${h.path ? `/${h.path.replace(/\[(\d+)\]/g, '/$1').replace(/\./g, '/')}` : ''}`,
          detail: h.rules.at(-1)?.reason ?? 'no basis',
        })),
    );
  if (answer.route === 'no_transfer')
    return refuse(
      'rule-violation',
      'not a restricted transfer (EU-0): Chapter V does not apply, there is nothing to approve under eu-gdpr',
      [{ pointer: prefix || '/', detail: answer.rules.find((r) => r.id === 'EU-0')?.reason ?? 'EU-0' }],
    );
  return null;
}

function materialFindings(facts: EuGdprFacts, app: PartialApplication, pack: EuGdprPack): Finding[] {
  const answer = euRoute(facts, pack);
  const given = new Set((app.materials ?? []).map((m) => m.kind as string));
  return euMaterials(facts, answer, pack)
    .filter((m) => m.required && !given.has(m.kind))
    .map((m) => ({
      material: m.kind as Finding['material'],
      problem: 'missing' as const,
      detail: `${m.kind} is required${m.when ? ` (${m.when})` : ''}`,
    }));
}

/** The checklist items of a route (§9): the general ones and the route's own. */
export const checklistFor = (route: string): string[] =>
  euReviewChecklist.filter((c) => c.route === 'all' || c.route === route).map((c) => c.item);

/** The next scheduled check of an active transfer (§7): the TIA review, the DPF List check, or none. */
function scheduleFor(state: TransferState, answer: EuRouteAnswer, nowMs: number, pack: PolicyPack) {
  const route = answer.route;
  if (AGREEMENT_ROUTES.includes(route) && answer.tiaRequired !== false)
    return [startDeadline('tia_review', nowMs, pack)];
  if (route === 'adequacy' && answer.hops[0]?.adequacy?.decisionId?.startsWith('US'))
    return [startDeadline('dpf_list_check', nowMs, pack)];
  if (AGREEMENT_ROUTES.includes(route)) return [startDeadline('tia_review', nowMs, pack)];
  return [];
}

/** The importer of the facts is the recipient party: one country (a rule across two fields, not a shape). */
function countryMismatch(app: EuApplication, prefix: string): Refusal | null {
  const country = app.facts.importer?.country;
  return country !== undefined && country !== app.recipient.country
    ? {
        kind: 'rule-violation',
        message: `the importer's country (${country}) must be the recipient's (${app.recipient.country})`,
        errors: [
          { pointer: `${prefix}/facts/importer/country`, detail: `expected ${app.recipient.country}` },
        ],
      }
    : null;
}

/** Why an application cannot be submitted under eu-gdpr (POST /v1/transfers answers it before starting anything). */
export function euSubmissionRefusal(app: EuApplication, eu: EuGdprPack): Refusal | null {
  const mismatch = countryMismatch(app, '');
  if (mismatch) return mismatch;
  const refused = routeRefusal(euRoute(app.facts, eu), '/facts');
  return refused && !refused.ok ? refused.refusal : null;
}

/** A reviewer outside the privacy office the application names decides nothing of this transfer. */
function notThePrivacyOffice(state: TransferState, actor: Actor): Outcome | null {
  const office = (state.application as unknown as Partial<EuApplication>).privacyOffice?.org;
  return office !== undefined && actor.org !== office
    ? refuse(
        'forbidden-role',
        `this transfer is decided by its privacy office (${office}), not by ${actor.org ?? 'you'}`,
      )
    : null;
}

export function euFlow(eu: EuGdprPack): PackFlow {
  const submit: Handler<{ type: 'submit'; actor: Actor }> = (state, { actor }, nowMs, pack) => {
    const parsed = euApplicationSchema.safeParse(state.application);
    if (!parsed.success)
      return refuse(
        'rule-violation',
        'the application is incomplete or malformed',
        zodErrors(parsed.error.issues, '/application'),
      );
    const mismatch = countryMismatch(parsed.data, '/application');
    if (mismatch) return { ok: false, refusal: mismatch };
    if (parsed.data.exporter.org !== state.applicantOrg)
      return refuse('rule-violation', 'exporter.org must be your own organisation', [
        { pointer: '/application/exporter/org', detail: `expected ${state.applicantOrg}` },
      ]);
    const answer = euRoute(parsed.data.facts, eu);
    const refusal = routeRefusal(answer, '/application/facts');
    if (refusal) return refusal;
    const application = parsed.data as unknown as PartialApplication;
    return record(
      state,
      nowMs,
      {
        action: 'submit',
        by: actor.sub,
        role: actor.role,
        details: {
          route: answer.route,
          rules: answer.rules.filter((r) => r.outcome === 'holds').map((r) => r.id),
        },
      },
      {
        application,
        route: routeDecision(answer),
        submittedAt: isoAt(nowMs),
        status: 'completeness_check',
        findings: materialFindings(parsed.data.facts, application, eu),
        deadlines: [startDeadline('completeness_decision', nowMs, pack)],
        eu: { tiaRequired: answer.tiaRequired, reEvaluations: [] },
      },
    );
  };

  const privacyReview: Handler<PrivacyReviewCommand> = (state, command, nowMs, pack) => {
    const { actor } = command;
    if (state.status !== 'under_review' || state.eu?.registerDue)
      return refuse('wrong-phase', 'the privacy office reviews a transfer under review');
    const office = notThePrivacyOffice(state, actor);
    if (office) return office;
    if (actor.sub === state.createdBy)
      return refuse('separation-of-duties', 'the submitter of a transfer never decides it');
    if (command.decision === 'request_supplement')
      return openSupplementRound(
        state,
        actor,
        command.items,
        'substantive_review',
        nowMs,
        pack,
        command.reason,
      );
    if (command.decision === 'reject') {
      if (!command.reason?.trim())
        return refuse('validation', 'a rejection needs reasons', [
          { pointer: '/reason', detail: 'required' },
        ]);
      return record(
        state,
        nowMs,
        { action: 'privacy_review.reject', by: actor.sub, role: actor.role, reason: command.reason },
        { status: 'rejected', deadlines: [] },
      );
    }
    const facts = factsOf(state);
    const answer = euRoute(facts, eu);
    const errors = checklistErrors(command.checklist ?? [], checklistFor(answer.route));
    if (errors.length > 0)
      return refuse(
        'rule-violation',
        `the checklist assesses each of: ${checklistFor(answer.route).join(', ')}`,
        errors,
      );
    const failed = (command.checklist ?? []).filter((c) => c.result === 'fail').map((c) => c.item);
    if (failed.length > 0)
      return refuse(
        'rule-violation',
        `a failed checklist item blocks approval (${failed.join(', ')}): reject or request supplements`,
        [{ pointer: '/checklist', detail: `failed: ${failed.join(', ')}` }],
      );
    // EU-5 and §9 "Outcomes": a TIA "not effective" (or any blocker of the route) blocks approval
    const gate = euApprovalGate(facts, answer, eu);
    if (!gate.approvable)
      return refuse(
        'rule-violation',
        `approval is blocked: ${gate.blockers.map((b) => b.text).join('; ')}`,
        gate.blockers.map((b) => ({
          pointer: `/application/facts${b.hop ? `/${b.hop.replace(/\[(\d+)\]/g, '/$1')}` : ''}/tia`,
          detail: `${b.text} (${b.source})`,
        })),
      );
    const at = isoAt(nowMs);
    const review = { by: actor.sub, at, checklist: command.checklist ?? [] };
    const approval = {
      by: actor.sub,
      at,
      decision: 'approve' as const,
      conditions: [],
      reason: command.reason,
    };
    const tia = gate.tia[''];
    const common = {
      review,
      approvals: [approval],
      approvedAt: at,
      route: routeDecision(answer),
      deadlines: withoutDeadline(state, 'substantive_review'),
    };
    const decision = {
      action: 'privacy_review.approve',
      by: actor.sub,
      role: actor.role,
      reason: command.reason,
      details: { route: answer.route, tia: tia?.result ?? 'not required' },
    };
    if (AGREEMENT_ROUTES.includes(answer.route)) {
      const kind = AGREEMENT_DOCUMENT[answer.route]!;
      const doc = (state.application.materials ?? []).find((m) => (m.kind as string) === kind);
      if (!doc)
        return refuse(
          'materials-incomplete',
          `the ${kind} document the importer signs is missing: request it first`,
        );
      return record(state, nowMs, decision, {
        ...common,
        status: 'awaiting_signature',
        agreement: { documentId: doc.documentId, digest: doc.documentId },
        deadlines: [...common.deadlines, startDeadline('signature', nowMs, pack)],
        eu: { ...state.eu!, tia: tia?.result, tiaRequired: answer.tiaRequired },
      });
    }
    // adequacy or a derogation: nothing to sign; the register number makes it active
    return record(state, nowMs, decision, {
      ...common,
      eu: { ...state.eu!, tia: tia?.result, tiaRequired: answer.tiaRequired, registerDue: true },
    });
  };

  const countersign: Handler<{ type: 'countersign'; actor: Actor }> = (state, { actor }, nowMs) => {
    const a = state.agreement;
    if (!a?.signedDocumentId) return refuse('conflict', 'the importer has not signed yet');
    if (state.eu?.registerDue) return refuse('conflict', 'countersigned already');
    return record(
      state,
      nowMs,
      { action: 'countersign', by: actor.sub, role: actor.role },
      {
        agreement: { ...a, countersignedAt: isoAt(nowMs), countersignedBy: actor.sub },
        deadlines: withoutDeadline(state, 'signature'),
        eu: { ...state.eu!, registerDue: true },
      },
    );
  };

  const registerNumberIssued: Handler<{ type: 'register_number_issued'; registerNumber: string }> = (
    state,
    command,
    nowMs,
    pack,
  ) => {
    if (!state.eu?.registerDue || state.filingNumber)
      return refuse('conflict', 'no approved transfer awaits a number');
    if (!REGISTER_NUMBER.test(command.registerNumber))
      return refuse(
        'validation',
        `a register number looks like EU-GDPR-2026-000001, not ${command.registerNumber}`,
      );
    const answer = euRoute(factsOf(state), eu);
    return record(
      state,
      nowMs,
      { ...system, action: 'register_number_issued', details: { registerNumber: command.registerNumber } },
      {
        status: 'active',
        filingNumber: command.registerNumber,
        deadlines: scheduleFor(state, answer, nowMs, pack),
        eu: { ...state.eu, registerDue: false, activeSince: isoAt(nowMs) },
      },
    );
  };

  /** Open a re-evaluation (§7): the applicant answers with the current facts within the pack's period. */
  function openReEvaluation(
    state: TransferState,
    nowMs: number,
    pack: PolicyPack,
    opened: Omit<EuReEvaluation, 'openedAt'>,
    decision: Omit<Decision, 'at'>,
  ): Outcome {
    return record(state, nowMs, decision, {
      status: 'change_review',
      deadlines: [
        ...state.deadlines.filter((d) => d.step !== 'tia_review' && d.step !== 'dpf_list_check'),
        startDeadline('re_evaluation', nowMs, pack),
      ],
      eu: {
        ...state.eu!,
        reEvaluations: [...(state.eu?.reEvaluations ?? []), { ...opened, openedAt: isoAt(nowMs) }],
      },
    });
  }

  const scheduled =
    (trigger: 'tia_review' | 'dpf_list_check', reason: string): DeadlineConsequence =>
    (state, _deadline, nowMs, pack) =>
      state.status !== 'active'
        ? { ok: true, state: { ...state, deadlines: withoutDeadline(state, trigger) } }
        : openReEvaluation(
            state,
            nowMs,
            pack,
            { trigger, reason },
            { ...system, action: `deadline.${trigger}`, reason },
          );

  const reopen: Handler<{ type: 'reopen'; operator: Actor; event: string; reason: string }> = (
    state,
    command,
    nowMs,
    pack,
  ) => {
    if (command.operator.role !== 'admin')
      return refuse(
        'forbidden-role',
        `re-opening on an event is for an admin, not the ${command.operator.role}`,
      );
    if (state.status !== 'active') return refuse('wrong-phase', 'only an active transfer is re-opened');
    if (!command.reason.trim())
      return refuse('validation', 'a re-opening names the event', [
        { pointer: '/reason', detail: 'required' },
      ]);
    return openReEvaluation(
      state,
      nowMs,
      pack,
      { trigger: 'event', event: command.event, reason: command.reason, by: command.operator.sub },
      { action: 'reopen', by: command.operator.sub, role: command.operator.role, reason: command.reason },
    );
  };

  /**
   * A derogation-based transfer reports each use; the use is re-checked for "occasional" (§5.1, §7): a use that
   * makes it repetitive or systematic opens a re-evaluation (it must re-route to an Art. 46 tool).
   */
  const reportUse: Handler<Extract<EuCommand, { type: 'report_use' }>> = (state, command, nowMs, pack) => {
    if (state.status !== 'active') return refuse('wrong-phase', 'uses are reported on an active transfer');
    if (state.route?.route !== ('derogation' as Route))
      return refuse('wrong-phase', 'use reports are for derogation-based transfers (Art. 49)');
    if (command.on > today(nowMs, pack))
      return refuse('validation', 'a use is reported once it happened', [
        { pointer: '/on', detail: 'in the future' },
      ]);
    const facts = factsOf(state);
    const used = {
      ...facts,
      transferDate: command.on,
      derogation: { ...(facts.derogation ?? {}), frequency: command.frequency },
    };
    const answer = euRoute(used, eu);
    const entry = {
      action: 'report_use',
      by: command.actor.sub,
      role: command.actor.role,
      details: { on: command.on, frequency: command.frequency, route: answer.route },
      ...(command.note ? { reason: command.note } : {}),
    };
    const uses = (state.eu?.uses ?? 0) + 1;
    if (answer.route === 'derogation')
      return record(state, nowMs, entry, { eu: { ...state.eu!, uses, lastUseOn: command.on } });
    const reason = `the use of ${command.on} is ${command.frequency}: the derogation no longer holds (${answer.route}); re-route to an Art. 46 tool`;
    const opened = openReEvaluation(
      { ...state, eu: { ...state.eu!, uses, lastUseOn: command.on } },
      nowMs,
      pack,
      { trigger: 'use_report', reason },
      entry,
    );
    return opened;
  };

  const current = (state: TransferState): EuReEvaluation | undefined => {
    const last = state.eu?.reEvaluations.at(-1);
    return last && !last.decision ? last : undefined;
  };

  const reEvaluate: Handler<{ type: 're_evaluate'; actor: Actor; facts: EuGdprFacts; note?: string }> = (
    state,
    command,
    nowMs,
    pack,
  ) => {
    const open = current(state);
    if (!open) return refuse('wrong-phase', 'no re-evaluation is open');
    // answered already and not decided: the newer answer replaces it (the privacy office decides on the latest)
    const parsed = euGdprFactsSchema.safeParse(command.facts);
    if (!parsed.success)
      return refuse('validation', 'invalid facts', zodErrors(parsed.error.issues, '/facts'));
    const facts = { ...parsed.data, transferDate: parsed.data.transferDate ?? today(nowMs, pack) };
    const answer = euRoute(facts, eu);
    const application = { ...(state.application as object), facts } as unknown as PartialApplication;
    const answered: EuReEvaluation = {
      ...open,
      answeredAt: isoAt(nowMs),
      answeredBy: command.actor.sub,
      route: answer.route,
      ...(command.note ? { note: command.note } : {}),
    };
    return record(
      state,
      nowMs,
      {
        action: 're_evaluate',
        by: command.actor.sub,
        role: command.actor.role,
        details: {
          route: answer.route,
          rules: answer.rules.filter((r) => r.outcome === 'holds').map((r) => r.id),
        },
      },
      {
        application,
        deadlines: [
          ...withoutDeadline(state, 're_evaluation'),
          startDeadline('re_evaluation_review', nowMs, pack),
        ],
        eu: { ...state.eu!, reEvaluations: [...state.eu!.reEvaluations.slice(0, -1), answered] },
      },
    );
  };

  const reEvaluationDecision: Handler<{
    type: 're_evaluation_decision';
    actor: Actor;
    decision: 'confirm' | 'suspend' | 'end';
    reason?: string;
  }> = (state, command, nowMs, pack) => {
    const open = current(state);
    if (!open?.answeredAt) return refuse('wrong-phase', 'no answered re-evaluation awaits a decision');
    const { actor } = command;
    const office = notThePrivacyOffice(state, actor);
    if (office) return office;
    if (actor.sub === open.answeredBy || actor.sub === state.createdBy)
      return refuse('separation-of-duties', 'who answered the re-evaluation never decides it');
    const facts = factsOf(state);
    const answer = euRoute(facts, eu);
    const decided: EuReEvaluation = {
      ...open,
      decision: command.decision,
      decidedAt: isoAt(nowMs),
      decidedBy: actor.sub,
    };
    const reEvaluations = [...state.eu!.reEvaluations.slice(0, -1), decided];
    const entry = {
      action: `re_evaluation_decision.${command.decision}`,
      by: actor.sub,
      role: actor.role,
      reason: command.reason,
      details: { route: answer.route },
    };
    const rest = state.deadlines.filter(
      (d) => d.step !== 're_evaluation_review' && d.step !== 'suspension_unresolved',
    );
    if (command.decision === 'confirm') {
      const refusal = routeRefusal(answer, '/application/facts');
      if (refusal) return refusal;
      const gate = euApprovalGate(facts, answer, eu);
      if (!gate.approvable)
        return refuse(
          'rule-violation',
          `the transfer cannot continue: ${gate.blockers.map((b) => b.text).join('; ')}`,
          gate.blockers.map((b) => ({
            pointer: '/application/facts/tia',
            detail: `${b.text} (${b.source})`,
          })),
        );
      return record(state, nowMs, entry, {
        status: 'active',
        route: routeDecision(answer),
        deadlines: [...rest, ...scheduleFor(state, answer, nowMs, pack)],
        eu: { ...state.eu!, reEvaluations, tia: gate.tia['']?.result, tiaRequired: answer.tiaRequired },
      });
    }
    if (!command.reason?.trim())
      return refuse('validation', `to ${command.decision} needs reasons`, [
        { pointer: '/reason', detail: 'required' },
      ]);
    if (command.decision === 'suspend')
      // SCC Clause 16(b): transfers stop; terminated unless compliance is restored within the pack's period
      return record(state, nowMs, entry, {
        status: 'suspended',
        deadlines: [...rest, startDeadline('suspension_unresolved', nowMs, pack)],
        eu: {
          ...state.eu!,
          reEvaluations: [
            ...reEvaluations,
            { trigger: 'suspension', reason: command.reason, openedAt: isoAt(nowMs) },
          ],
        },
      });
    return record(state, nowMs, entry, {
      status: 'revoked',
      deadlines: [],
      eu: { ...state.eu!, reEvaluations },
    });
  };

  const notAnswered: DeadlineConsequence = (state, _deadline, nowMs, pack) =>
    record(
      state,
      nowMs,
      {
        ...system,
        action: 'deadline.re_evaluation',
        reason: 'the re-evaluation was not answered in time: transfers suspended',
      },
      {
        status: 'suspended',
        deadlines: [
          ...withoutDeadline(state, 're_evaluation'),
          startDeadline('suspension_unresolved', nowMs, pack),
        ],
      },
    );

  const suspensionUnresolved: DeadlineConsequence = (state, _deadline, nowMs) =>
    record(
      state,
      nowMs,
      {
        ...system,
        action: 'deadline.suspension_unresolved',
        reason: 'compliance was not restored in time (SCC Clause 16(c)(i); BCR-C §5.4.1)',
      },
      { status: 'terminated', deadlines: [] },
    );

  const notInThisLifecycle: Handler<{ type: string }> = (_state, command) =>
    refuse('wrong-phase', `${command.type.replace(/_/g, '-')} is not part of the eu-gdpr lifecycle`);

  const reEvaluationAwaits = (state: TransferState) => {
    const open = current(state);
    if (!open) return [];
    return open.answeredAt
      ? [{ role: 'reviewer' as const, action: 're-evaluation-decision' as const }]
      : [{ role: 'applicant' as const, action: 're-evaluate' as const }];
  };

  // intake as under every pack, by the privacy office the application names
  const intake = completenessPhase.commands.completeness;
  const completeness: typeof intake = (state, command, nowMs, pack) =>
    notThePrivacyOffice(state, command.actor) ?? intake(state, command, nowMs, pack);

  return {
    commands: {
      submit,
      // intake as under every pack, by the privacy office the application names
      completeness,
      privacy_review: privacyReview,
      countersign,
      register_number_issued: registerNumberIssued,
      re_evaluate: reEvaluate,
      re_evaluation_decision: reEvaluationDecision,
      reopen,
      report_use: reportUse,
      // cn-2024's steps that have no place here (no risk scoring, no regulator filing, no periodic reports)
      ...Object.fromEntries(
        actions
          .filter((a) => !SHARED_STEPS.includes(a) && !OWN_STEPS.includes(a))
          .map((a) => [a, notInThisLifecycle]),
      ),
    },
    awaiting: {
      under_review: (state) =>
        state.eu?.registerDue ? [] : [{ role: 'reviewer', action: 'privacy-review' }],
      awaiting_signature: (state) =>
        state.eu?.registerDue
          ? []
          : state.agreement?.signedDocumentId
            ? [{ role: 'applicant', action: 'countersign' }]
            : [{ role: 'recipient', action: 'sign' }],
      active: () => [],
      change_review: reEvaluationAwaits,
      suspended: reEvaluationAwaits,
    },
    deadlines: {
      tia_review: scheduled('tia_review', 'the TIA review is due (EDPB Recs 01/2020 step 6; SCC Clause 14)'),
      dpf_list_check: scheduled('dpf_list_check', 'the DPF List check is due (EU-GDPR.md §7)'),
      re_evaluation: notAnswered,
      suspension_unresolved: suspensionUnresolved,
    },
    materialsRequired(state) {
      const facts = factsOf(state);
      return euMaterials(facts, euRoute(facts, eu), eu)
        .filter((m) => m.required)
        .map((m) => m.kind);
    },
    checkMaterials(app, _nowMs) {
      const facts = (app as unknown as Partial<EuApplication>).facts ?? {};
      return materialFindings(facts, app, eu);
    },
    registerNumberDue: (state) =>
      state.eu?.registerDue && !state.filingNumber ? { series: EU_REGISTER_SERIES } : null,
  };
}
