/**
 * The transfer as a pure state machine: `decide(state, command, now, pack)` either refuses (with a kind the API
 * maps to a status) or returns the next state. The workflow's update validators call it to refuse, its handlers
 * call it to move; tests call it directly. Each phase's transitions live in domain/phases/.
 */
import {
  applicationSchema,
  mergeApplication,
  partialApplicationSchema,
  type MaterialKind,
  type PartialApplication,
} from './application';
import { authorize, type Actor } from './authz';
import { checkMaterials } from './completeness';
import { recountDeadline, resumeDeadline, startDeadline } from './deadlines';
import { isTerminal, type Role } from './lifecycle';
import { packWithCalendar, type DeadlineStep, type PolicyPack } from './policy';
import { determineRoute } from './routes';
import {
  record,
  refuse,
  withoutDeadline,
  zodErrors,
  scopeOf,
  type Outcome,
  type TransferState,
} from './transfer-state';
import {
  approvalAwaiting,
  approvalCommands,
  openSupplementRound,
  type ApprovalCommand,
} from './phases/approval';
import { agreementCommands, agreementAwaiting, type AgreementCommand } from './phases/agreement';
import {
  supervisionAwaiting,
  supervisionCommands,
  supervisionDeadlinePassed,
  supervisionTypes,
  type SupervisionCommand,
} from './phases/supervision';

export * from './transfer-state';

const approvalTypes: ReadonlySet<string> = new Set([
  'review',
  'extend_review',
  'risk_decision',
  'request_re_review',
  're_review_decision',
]);

export type Command =
  | { type: 'edit'; actor: Actor; patch: PartialApplication }
  | { type: 'submit'; actor: Actor }
  | {
      type: 'completeness';
      actor: Actor;
      decision: 'accept' | 'request_supplement' | 'refuse';
      items?: { material?: MaterialKind; field?: string; request: string }[];
      reason?: string;
    }
  | {
      type: 'supplement';
      actor: Actor;
      responses: { itemId: string; text?: string; documentId?: string; issuedOn?: string }[];
    }
  | { type: 'withdraw'; actor: Actor; reason: string }
  | { type: 'confirm_exemption'; actor: Actor; application?: PartialApplication }
  | { type: 'deadline_passed'; step: DeadlineStep }
  | { type: 'recompute_deadlines' }
  | ApprovalCommand
  | AgreementCommand
  | SupervisionCommand;

/** Who must act next, and how (API.md `awaiting`). */
export function awaiting(state: TransferState): { role: Role; action: string }[] {
  switch (state.status) {
    case 'draft':
      return [{ role: 'applicant', action: 'submit' }];
    case 'completeness_check':
      return [{ role: 'reviewer', action: 'completeness' }];
    case 'awaiting_supplement':
      return [{ role: 'applicant', action: 'supplement' }];
    case 'exempt':
      return [{ role: 'applicant', action: 'confirm-exemption' }];
    default:
      return approvalAwaiting(state) ?? agreementAwaiting(state) ?? supervisionAwaiting(state) ?? [];
  }
}

function submit(state: TransferState, actor: Actor, nowMs: number, pack: PolicyPack): Outcome {
  const parsed = applicationSchema.safeParse(state.application);
  if (!parsed.success) {
    return refuse(
      'validation',
      'the application is incomplete: complete the draft before submitting',
      zodErrors(parsed.error.issues, '/application'),
    );
  }
  if (parsed.data.exporter.org !== state.applicantOrg) {
    return refuse('validation', 'exporter.org must be your own organisation', [
      { pointer: '/application/exporter/org', detail: `expected ${state.applicantOrg}` },
    ]);
  }
  const route = determineRoute(parsed.data, pack);
  if (route.route === null) {
    return refuse(
      'needs-info',
      `the route cannot be determined: ${route.needsInfo.map((n) => n.field).join(', ')}`,
      route.needsInfo.map((n) => ({
        pointer: `/application/${n.field.replace(/\./g, '/')}`,
        detail: n.reason,
      })),
    );
  }
  const base = { route, application: parsed.data, submittedAt: new Date(nowMs).toISOString() };
  const decision = {
    action: 'submit',
    by: actor.sub,
    role: actor.role,
    details: { route: route.route, rules: route.rules.map((r) => r.id) },
  };
  if (route.route === 'exempt') {
    // Exempt is a recorded decision, not freedom from obligations: the applicant re-confirms the facts yearly.
    return record(state, nowMs, decision, {
      ...base,
      status: 'exempt',
      findings: [],
      deadlines: [startDeadline('exempt_recheck', nowMs, pack)],
    });
  }
  return record(state, nowMs, decision, {
    ...base,
    status: 'completeness_check',
    findings: checkMaterials(parsed.data, route.route, pack, nowMs),
    deadlines: [startDeadline('completeness_decision', nowMs, pack)],
  });
}

export function decide(
  state: TransferState,
  command: Command,
  nowMs: number,
  policyPack: PolicyPack,
): Outcome {
  if (command.type === 'recompute_deadlines') return recomputeDeadlines(state, nowMs, policyPack);
  const pack = packWithCalendar(policyPack, state.calendarVersion);
  switch (command.type) {
    case 'deadline_passed':
      return deadlinePassed(state, command.step, nowMs, pack);
    case 'risk_scored':
      return approvalCommands(state, command, nowMs, pack);
    case 'agreement_rendered':
    case 'filing_number_issued':
      return agreementCommands(state, command, nowMs, pack);
    case 'change_scored':
      return supervisionCommands(state, command, nowMs, pack);
  }
  const denied = authorize(command.type, command.actor, scopeOf(state));
  if (denied) return { ok: false, refusal: denied };
  const { actor } = command;
  const at = new Date(nowMs).toISOString();

  switch (command.type) {
    case 'edit': {
      const parsed = partialApplicationSchema.safeParse(command.patch);
      if (!parsed.success)
        return refuse('validation', 'invalid application fields', zodErrors(parsed.error.issues));
      const merged = mergeApplication(state.application, parsed.data);
      if (merged.exporter?.org !== undefined && merged.exporter.org !== state.applicantOrg) {
        return refuse('validation', 'exporter.org must be your own organisation', [
          { pointer: '/exporter/org', detail: `expected ${state.applicantOrg}` },
        ]);
      }
      return { ok: true, state: { ...state, application: merged, updatedAt: at } };
    }

    case 'submit':
      return submit(state, actor, nowMs, pack);

    case 'completeness': {
      if (command.decision === 'accept') {
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
      }
      if (command.decision === 'refuse') {
        if (!command.reason?.trim())
          return refuse('validation', 'a refusal needs a reason', [
            { pointer: '/reason', detail: 'required when refusing' },
          ]);
        return record(
          state,
          nowMs,
          { action: 'completeness.refuse', by: actor.sub, role: actor.role, reason: command.reason },
          {
            status: 'refused',
            deadlines: [],
          },
        );
      }
      return openSupplementRound(state, actor, command.items, 'completeness', nowMs, pack, command.reason);
    }

    case 'supplement': {
      const open = state.supplementRequests.find((r) => r.status === 'open');
      if (!open) return refuse('wrong-phase', 'no supplementation round is open');
      const byId = new Map(command.responses.map((r) => [r.itemId, r]));
      const errors: { pointer: string; detail: string }[] = [];
      command.responses.forEach((r, n) => {
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
        if (!byId.has(i.itemId))
          errors.push({ pointer: '/responses', detail: `item ${i.itemId} is not answered` });
      });
      if (byId.size !== command.responses.length)
        errors.push({ pointer: '/responses', detail: 'each item is answered once' });
      if (errors.length > 0) return refuse('validation', 'every open item must be answered, once', errors);

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
      const findings = route && route !== 'exempt' ? checkMaterials(application, route, pack, nowMs) : [];
      return record(
        state,
        nowMs,
        { action: 'supplement', by: actor.sub, role: actor.role, details: { round: open.round } },
        {
          status: open.phase === 'completeness' ? 'completeness_check' : 'under_review',
          application,
          findings,
          supplementRequests: state.supplementRequests.map((r) =>
            r === open ? { ...r, items, status: 'answered' as const } : r,
          ),
          deadlines: withoutDeadline(state, 'supplement_answer').map((d) =>
            d.paused ? resumeDeadline(d, nowMs, pack) : d,
          ),
        },
      );
    }

    case 'confirm_exemption': {
      const application = command.application
        ? mergeApplication(state.application, command.application)
        : state.application;
      if (application.exporter?.org !== state.applicantOrg) {
        return refuse('validation', 'exporter.org cannot change', [
          { pointer: '/application/exporter/org', detail: 'fixed' },
        ]);
      }
      const route = determineRoute(application, pack);
      if (route.route !== 'exempt') {
        return refuse(
          'rule-violation',
          `the facts no longer exempt this transfer (${route.route ?? `needs ${route.needsInfo.map((n) => n.field).join(', ')}`}): submit a new application`,
        );
      }
      return record(
        state,
        nowMs,
        {
          action: 'confirm_exemption',
          by: actor.sub,
          role: actor.role,
          details: { rules: route.rules.map((r) => r.id) },
        },
        {
          application,
          route,
          deadlines: [
            ...withoutDeadline(state, 'exempt_recheck'),
            startDeadline('exempt_recheck', nowMs, pack),
          ],
        },
      );
    }

    case 'withdraw': {
      if (state.decisions.some((d) => d.action === 'filing_decision.accept')) {
        return refuse('wrong-phase', 'the filing is accepted; the transfer is becoming active');
      }
      if (!command.reason.trim())
        return refuse('validation', 'a withdrawal needs a reason', [
          { pointer: '/reason', detail: 'required' },
        ]);
      return record(
        state,
        nowMs,
        { action: 'withdraw', by: actor.sub, role: actor.role, reason: command.reason },
        {
          status: 'withdrawn',
          deadlines: [],
          supplementRequests: state.supplementRequests.map((r) =>
            r.status === 'open' ? { ...r, status: 'withdrawn' as const } : r,
          ),
        },
      );
    }
    default:
      if (approvalTypes.has(command.type))
        return approvalCommands(state, command as ApprovalCommand, nowMs, pack);
      if (supervisionTypes.has(command.type))
        return supervisionCommands(state, command as SupervisionCommand, nowMs, pack);
      return agreementCommands(state, command as AgreementCommand, nowMs, pack);
  }
}

function deadlinePassed(state: TransferState, step: DeadlineStep, nowMs: number, pack: PolicyPack): Outcome {
  const deadline = state.deadlines.find((d) => d.step === step && !d.paused && !d.overdue);
  if (!deadline || isTerminal(state.status)) return refuse('conflict', `no running ${step} deadline`);
  const at = new Date(nowMs).toISOString();
  const system = { by: 'system', role: 'system' as const };
  switch (step) {
    case 'supplement_answer':
      return record(
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
    case 're_review_request':
      return record(
        state,
        nowMs,
        {
          ...system,
          action: 'deadline.re_review_request',
          reason: 'no re-review requested in time: the not-passed decision stands',
        },
        {
          status: 'rejected',
          deadlines: [],
        },
      );
    case 'signature':
      return record(
        state,
        nowMs,
        {
          ...system,
          action: 'deadline.signature',
          reason: 'the agreement was not signed and countersigned in time',
        },
        {
          status: 'lapsed',
          deadlines: [],
        },
      );
    case 'filing_resubmission':
      return record(
        state,
        nowMs,
        {
          ...system,
          action: 'deadline.filing_resubmission',
          reason: 'the returned filing was not resubmitted in time',
        },
        {
          status: 'terminated',
          deadlines: [],
        },
      );
    case 'supervision_report':
    case 'rectification':
    case 'extension_window':
      return supervisionDeadlinePassed(state, step, nowMs, pack);
    default: {
      // Reviewer deadlines never decide: the transfer is flagged overdue and the lapse escalated. A late filing by
      // the applicant is flagged and warned about.
      const notice =
        deadline.actor === 'reviewer'
          ? `${step} deadline of ${deadline.dueAt} passed without a decision: escalated`
          : `warning: ${step} deadline of ${deadline.dueAt} passed`;
      return {
        ok: true,
        state: {
          ...state,
          deadlines: state.deadlines.map((d) => (d === deadline ? { ...d, overdue: true } : d)),
          escalations: [...state.escalations, { step, at, notice }],
          updatedAt: at,
        },
      };
    }
  }
}

/** The next running deadline, nearest first. */

/**
 * Move a transfer to the newest calendar: deadlines counted Monday–Friday for a year whose schedule is now
 * published are counted again, and the change is recorded. Sent by operators after a calendar update.
 */
function recomputeDeadlines(state: TransferState, nowMs: number, pack: PolicyPack): Outcome {
  if (isTerminal(state.status)) return refuse('wrong-phase', 'a closed transfer has no deadlines');
  const latest = pack.calendar.version;
  const deadlines = state.deadlines.map((d) => recountDeadline(d, pack));
  const changes = deadlines.flatMap((d, i) => {
    const before = state.deadlines[i]!;
    return d === before
      ? []
      : [{ step: d.step, before: before.dueAt, after: d.dueAt, approximate: d.calendarApproximate }];
  });
  if (changes.length === 0 && state.calendarVersion === latest)
    return refuse('conflict', 'the deadlines already follow the newest calendar');
  return record(
    state,
    nowMs,
    {
      action: 'deadline.recomputed',
      by: 'system',
      role: 'system',
      reason: `calendar ${latest}`,
      details: { changes },
    },
    {
      calendarVersion: latest,
      deadlines,
    },
  );
}
