/**
 * Who may see and do what (DOMAIN.md "Actors", API.md "Scoping"). One table, read by the API for an early
 * answer and by the workflow's update validators for the final one.
 */
import type { Refusal } from './errors';
import { statuses, type Role, type Status } from './lifecycle';

export interface Actor {
  sub: string;
  role: Role;
  /** organisation of an applicant or reviewer */
  org?: string;
  /** recipient id of a recipient */
  recipient?: string;
}

/** The facts about a transfer that scoping needs (all opaque ids). */
export interface Scope {
  applicantOrg: string;
  recipientId?: string;
  status: Status;
}

export const actions = [
  'edit',
  'submit',
  'completeness',
  'supplement',
  'withdraw',
  'review',
  'extend_review',
  'risk_decision',
  'request_re_review',
  're_review_decision',
  'sign',
  'acknowledge_conditions',
  'countersign',
  'file',
  'filing_decision',
  'report',
  'supervise',
  'respond_rectification',
  'rectification_decision',
  'report_incident',
  'report_change',
  'change_decision',
  'request_extension',
  'extension_decision',
  'confirm_exemption',
  // eu-gdpr (domain/policy/eu-gdpr/lifecycle.ts)
  'privacy_review',
  're_evaluate',
  're_evaluation_decision',
  'report_use',
] as const;
export type Action = (typeof actions)[number];

type Kebab<S extends string> = S extends `${infer H}_${infer T}` ? `${H}-${Kebab<T>}` : S;
/**
 * An action as API.md spells it, the path segment (`risk-decision`): the one spelling every response uses for
 * something a party can do (`awaiting`, refusals). Commands and recorded decisions keep the code's snake case.
 */
export type ActionName = Kebab<Action>;
export const actionName = (action: Action): ActionName => action.replace(/_/g, '-') as ActionName;

/**
 * A recorded decision's action as responses spell it: the party action it names in API.md's spelling
 * (`risk_decision.approve` → `risk-decision.approve`); system steps (`filing_number_issued`, `deadline.…`) as
 * recorded. The audit chain keeps what it recorded (its entries are hashed as written).
 */
export function spelledDecision(recorded: string): string {
  const [head, ...rest] = recorded.split('.');
  return (actions as readonly string[]).includes(head!)
    ? [actionName(head as Action), ...rest].join('.')
    : recorded;
}

/** Every status before approval ends in `active` (the lifecycle's order). */
export const preActiveStatuses: readonly Status[] = statuses.slice(0, statuses.indexOf('active'));

/** Statuses of a transfer under supervision (approved and filed). */
export const supervisedStatuses: readonly Status[] = [
  'active',
  'change_review',
  'rectification_ordered',
  'suspended',
  'extension_requested',
];

/** role × action × phase */
export const permissions: Readonly<Record<Action, { role: Role; statuses: readonly Status[] }>> = {
  edit: { role: 'applicant', statuses: ['draft'] },
  submit: { role: 'applicant', statuses: ['draft'] },
  completeness: { role: 'reviewer', statuses: ['completeness_check'] },
  supplement: { role: 'applicant', statuses: ['awaiting_supplement'] },
  withdraw: { role: 'applicant', statuses: [...preActiveStatuses, 'exempt'] },
  confirm_exemption: { role: 'applicant', statuses: ['exempt'] },
  review: { role: 'reviewer', statuses: ['under_review'] },
  extend_review: { role: 'reviewer', statuses: ['under_review', 'risk_assessment', 'awaiting_supplement'] },
  risk_decision: { role: 'reviewer', statuses: ['risk_assessment'] },
  request_re_review: { role: 'applicant', statuses: ['not_passed'] },
  re_review_decision: { role: 'reviewer', statuses: ['re_review'] },
  sign: { role: 'recipient', statuses: ['awaiting_signature'] },
  acknowledge_conditions: { role: 'recipient', statuses: ['awaiting_signature'] },
  countersign: { role: 'applicant', statuses: ['awaiting_signature'] },
  file: { role: 'applicant', statuses: ['filing_review', 'filing_returned'] },
  filing_decision: { role: 'reviewer', statuses: ['filing_review'] },
  report: { role: 'applicant', statuses: supervisedStatuses },
  supervise: { role: 'reviewer', statuses: supervisedStatuses },
  respond_rectification: { role: 'applicant', statuses: ['rectification_ordered'] },
  rectification_decision: { role: 'reviewer', statuses: ['rectification_ordered'] },
  report_incident: { role: 'applicant', statuses: supervisedStatuses },
  report_change: { role: 'applicant', statuses: ['active'] },
  change_decision: { role: 'reviewer', statuses: ['change_review'] },
  request_extension: { role: 'applicant', statuses: ['active'] },
  extension_decision: { role: 'reviewer', statuses: ['extension_requested'] },
  privacy_review: { role: 'reviewer', statuses: ['under_review'] },
  re_evaluate: { role: 'applicant', statuses: ['change_review', 'suspended'] },
  re_evaluation_decision: { role: 'reviewer', statuses: ['change_review', 'suspended'] },
  report_use: { role: 'applicant', statuses: ['active'] },
};

/**
 * Which transfers an actor sees, as data (SECURITY.md "Where each rule lives"). Written once here and rendered
 * two ways: the predicate below (`canSee`, for one transfer) and the SQL `WHERE` (store/scope.ts) of the read model
 * behind lists and inboxes and of the notification outbox. test/scope/scope.test.ts runs them on the same cases.
 */
export interface VisibleScope {
  /** only transfers of this applicant organisation */
  applicantOrg?: string;
  /** only transfers of any other organisation (a reviewer never reviews their own organisation's transfers) */
  applicantOrgNot?: string;
  /** only transfers naming this recipient */
  recipientId?: string;
  /** drafts are the applicant's own working copies */
  excludeDraft: boolean;
  /** sees no transfer at all (an admin, or a token missing its org / recipient claim) */
  nothing: boolean;
}

const seesNothing: VisibleScope = { excludeDraft: true, nothing: true };

export function visibleScope(actor: Actor): VisibleScope {
  switch (actor.role) {
    case 'applicant':
      return actor.org === undefined
        ? seesNothing
        : { applicantOrg: actor.org, excludeDraft: false, nothing: false };
    case 'reviewer':
      return actor.org === undefined
        ? seesNothing
        : { applicantOrgNot: actor.org, excludeDraft: true, nothing: false };
    case 'recipient':
      return actor.recipient === undefined
        ? seesNothing
        : { recipientId: actor.recipient, excludeDraft: true, nothing: false };
    case 'admin':
      return seesNothing;
  }
}

/** The predicate rendering of a scope. */
export function inScope(visible: VisibleScope, scope: Scope): boolean {
  if (visible.nothing) return false;
  if (visible.excludeDraft && scope.status === 'draft') return false;
  if (visible.applicantOrg !== undefined && scope.applicantOrg !== visible.applicantOrg) return false;
  if (visible.applicantOrgNot !== undefined && scope.applicantOrg === visible.applicantOrgNot) return false;
  if (visible.recipientId !== undefined && scope.recipientId !== visible.recipientId) return false;
  return true;
}

/** Whether a transfer exists for this actor at all. Outside scope is answered exactly like a missing id. */
export function canSee(actor: Actor, scope: Scope): boolean {
  return inScope(visibleScope(actor), scope);
}

/** null when allowed; otherwise why not, in the order scope → role → phase. */
export function authorize(action: Action, actor: Actor, scope: Scope): Refusal | null {
  if (!canSee(actor, scope)) return { kind: 'not-found', message: 'no such transfer' };
  const rule = permissions[action];
  if (actor.role !== rule.role) {
    return {
      kind: 'forbidden-role',
      message: `${actionName(action)} is for the ${rule.role}, not the ${actor.role}`,
    };
  }
  if (!rule.statuses.includes(scope.status)) {
    return {
      kind: 'wrong-phase',
      message: `${actionName(action)} is not possible while the transfer is ${scope.status}`,
    };
  }
  return null;
}
