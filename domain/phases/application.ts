/**
 * Application (DOMAIN.md step 1): the applicant edits a draft (no clock) and submits it; the route decides
 * between the completeness check and an exempt record (re-confirmed yearly). Withdrawal ends any case that is not
 * active yet.
 */
import {
  applicationSchema,
  mergeApplication,
  partialApplicationSchema,
  type PartialApplication,
} from '../application';
import type { Actor } from '../authz';
import { checkMaterials } from '../completeness';
import { startDeadline } from '../deadlines';
import { determineRoute } from '../routes';
import { record, refuse, withoutDeadline, zodErrors, type Outcome } from '../transfer-state';
import { isoAt, type Handler, type PhaseRules } from './types';

export type ApplicationCommand =
  | { type: 'edit'; actor: Actor; patch: PartialApplication }
  | { type: 'submit'; actor: Actor }
  | { type: 'withdraw'; actor: Actor; reason: string }
  | { type: 'confirm_exemption'; actor: Actor; application?: PartialApplication };

type On<T extends ApplicationCommand['type']> = Handler<Extract<ApplicationCommand, { type: T }>>;

const edit: On<'edit'> = (state, command, nowMs) => {
  const parsed = partialApplicationSchema.safeParse(command.patch);
  if (!parsed.success)
    return refuse('validation', 'invalid application fields', zodErrors(parsed.error.issues));
  const merged = mergeApplication(state.application, parsed.data);
  if (merged.exporter?.org !== undefined && merged.exporter.org !== state.applicantOrg) {
    return refuse('rule-violation', 'exporter.org must be your own organisation', [
      { pointer: '/exporter/org', detail: `expected ${state.applicantOrg}` },
    ]);
  }
  return { ok: true, state: { ...state, application: merged, updatedAt: isoAt(nowMs) } };
};

const submit: On<'submit'> = (state, { actor }, nowMs, pack): Outcome => {
  const parsed = applicationSchema.safeParse(state.application);
  if (!parsed.success) {
    // the (empty) request is fine; the draft it submits is not ready
    return refuse(
      'rule-violation',
      'the application is incomplete: complete the draft before submitting',
      zodErrors(parsed.error.issues, '/application'),
    );
  }
  if (parsed.data.exporter.org !== state.applicantOrg) {
    return refuse('rule-violation', 'exporter.org must be your own organisation', [
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
  const base = { route, application: parsed.data, submittedAt: isoAt(nowMs) };
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
};

const confirmExemption: On<'confirm_exemption'> = (state, { actor, application: patch }, nowMs, pack) => {
  const application = patch ? mergeApplication(state.application, patch) : state.application;
  if (application.exporter?.org !== state.applicantOrg) {
    return refuse('rule-violation', 'exporter.org cannot change', [
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
      deadlines: [...withoutDeadline(state, 'exempt_recheck'), startDeadline('exempt_recheck', nowMs, pack)],
    },
  );
};

const withdraw: On<'withdraw'> = (state, { actor, reason }, nowMs) => {
  if (state.filing?.acceptedAt) {
    return refuse('wrong-phase', 'the filing is accepted; the transfer is becoming active');
  }
  if (!reason.trim())
    return refuse('validation', 'a withdrawal needs a reason', [{ pointer: '/reason', detail: 'required' }]);
  return record(
    state,
    nowMs,
    { action: 'withdraw', by: actor.sub, role: actor.role, reason },
    {
      status: 'withdrawn',
      deadlines: [],
      supplementRequests: state.supplementRequests.map((r) =>
        r.status === 'open' ? { ...r, status: 'withdrawn' as const } : r,
      ),
    },
  );
};

export const applicationPhase: PhaseRules<ApplicationCommand> = {
  commands: { edit, submit, withdraw, confirm_exemption: confirmExemption },
  awaiting: {
    draft: () => [{ role: 'applicant', action: 'submit' }],
    exempt: () => [{ role: 'applicant', action: 'confirm-exemption' }],
  },
};
