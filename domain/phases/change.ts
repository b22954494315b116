/**
 * Change and re-review (动态调整, DOMAIN.md step 7): the applicant reports a change of an active transfer; the
 * route is re-determined and the risk re-scored; the reviewer accepts the change in place (only if it does not
 * re-route), requires a new application, or suspends.
 */
import { mergeApplication, type PartialApplication } from '../application';
import type { Actor } from '../authz';
import type { RiskAssessment } from '../risk';
import { determineRoute } from '../routes';
import { record, refuse } from '../transfer-state';
import { suspend } from './measures';
import { underSupervision } from './supervision';
import { isoAt, type Handler, type PhaseRules } from './types';

export const changeKinds = [
  'purpose',
  'scope',
  'data_types',
  'sensitivity',
  'method',
  'storage_location',
  'retention',
  'recipient',
  'control',
  'destination_law',
  'agreement',
] as const;
export type ChangeKind = (typeof changeKinds)[number];

export type ChangeCommand =
  | {
      type: 'report_change';
      actor: Actor;
      changes: { kind: ChangeKind; description: string }[];
      application?: PartialApplication;
    }
  | { type: 'change_scored'; risk: RiskAssessment }
  | {
      type: 'change_decision';
      actor: Actor;
      decision: 'accept' | 'require_new_application' | 'suspend';
      reason: string;
    };

type On<T extends ChangeCommand['type']> = Handler<Extract<ChangeCommand, { type: T }>>;

/** Paths (dotted) whose values differ between two applications. */
export function diffApplications(
  before: unknown,
  after: unknown,
  path = '',
): { path: string; before: unknown; after: unknown }[] {
  const plain = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (plain(before) && plain(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffApplications(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

const reportChange: On<'report_change'> = (state, c, nowMs, pack) => {
  if (state.status !== 'active')
    return refuse(
      'wrong-phase',
      `changes are reported on an active transfer, not one that is ${state.status}`,
    );
  if (c.changes.length === 0)
    return refuse('validation', 'list at least one change', [
      { pointer: '/changes', detail: 'at least one' },
    ]);
  const proposed = c.application ? mergeApplication(state.application, c.application) : state.application;
  if (proposed.exporter?.org !== state.applicantOrg)
    return refuse('rule-violation', 'exporter.org cannot change', [
      { pointer: '/application/exporter/org', detail: 'fixed' },
    ]);
  const route = determineRoute(proposed, pack);
  return record(
    state,
    nowMs,
    {
      action: 'report_change',
      by: c.actor.sub,
      role: c.actor.role,
      // the applicant's own words, kept like a reviewer's reason
      reason: c.changes.map((x) => `${x.kind}: ${x.description}`).join('; '),
      details: { kinds: c.changes.map((x) => x.kind), route: route.route },
    },
    {
      status: 'change_review',
      change: {
        requestedAt: isoAt(nowMs),
        changes: c.changes,
        proposed,
        diff: diffApplications(state.application, proposed),
        route,
        risk: null,
      },
    },
  );
};

const changeScored: On<'change_scored'> = (state, c, nowMs) => {
  if (state.status !== 'change_review' || !state.change || state.change.risk)
    return refuse('wrong-phase', 'a change is scored once, when reported');
  return {
    ok: true,
    state: { ...state, change: { ...state.change, risk: c.risk }, updatedAt: isoAt(nowMs) },
  };
};

const changeDecision: On<'change_decision'> = (state, c, nowMs, pack) => {
  const change = state.change;
  if (!change) return refuse('wrong-phase', 'no change is under review');
  if (!change.risk) return refuse('conflict', 'the change is still being scored; retry in a moment');
  if (!c.reason.trim())
    return refuse('validation', 'a change decision needs a reason', [
      { pointer: '/reason', detail: 'required' },
    ]);
  const kinds = change.changes.map((x) => x.kind);
  const decision = {
    action: `change_decision.${c.decision}`,
    by: c.actor.sub,
    role: c.actor.role,
    reason: c.reason,
    details: { kinds, route: change.route.route, level: change.risk.level },
  };
  if (c.decision === 'suspend') {
    const action = { kind: 'suspend' as const, by: c.actor.sub, at: isoAt(nowMs), reason: c.reason };
    return suspend({ ...state, change: null }, nowMs, pack, decision, action);
  }
  if (c.decision === 'require_new_application')
    return record(state, nowMs, decision, { status: 'active', change: null });
  if (change.route.route !== state.route?.route) {
    return refuse(
      'rule-violation',
      `the change re-routes the transfer from ${state.route?.route} to ${change.route.route ?? 'undetermined'}: require a new application`,
    );
  }
  if (change.risk.gates.length > 0)
    return refuse('rule-violation', `the changed transfer is blocked: ${change.risk.gates.join('; ')}`);
  return record(state, nowMs, decision, {
    status: 'active',
    changesAccepted: [...state.changesAccepted, { at: isoAt(nowMs), by: c.actor.sub, kinds }],
    application: change.proposed,
    route: change.route,
    risk: change.risk,
    change: null,
  });
};

export const changePhase: PhaseRules<ChangeCommand> = {
  commands: {
    report_change: underSupervision(reportChange),
    change_scored: underSupervision(changeScored),
    change_decision: underSupervision(changeDecision),
  },
  awaiting: {
    change_review: (state) => (state.change?.risk ? [{ role: 'reviewer', action: 'change-decision' }] : []),
  },
};
