import type { CalendarData } from '../calendar';
import type { MaterialKind, PartialApplication } from '../application';
import type { RiskLevel, RiskWeights } from '../risk';
import type { PackFlow } from '../phases/types';

export type Route = 'exempt' | 'security_assessment' | 'standard_contract' | 'certification';
export type ApprovalRoute = Exclude<Route, 'exempt'>;

export interface Thresholds {
  /** individuals (non-sensitive PI) from which a security assessment is required */
  securityAssessmentIndividuals: number;
  /** individuals' sensitive PI from which a security assessment is required */
  securityAssessmentSensitive: number;
  /** individuals from which a standard contract or certification is required */
  contractIndividuals: number;
  /** individuals' sensitive PI from which a standard contract or certification is required */
  contractSensitive: number;
}

export type DeadlineStep =
  | 'completeness_decision'
  | 'supplement_answer'
  | 'substantive_review'
  | 're_review_request'
  | 'signature'
  | 'filing'
  | 'filing_check'
  | 'filing_resubmission'
  | 'supervision_report'
  | 'suspension_unresolved'
  | 'rectification'
  | 'extension_window'
  | 'exempt_recheck'
  // eu-gdpr (EU-GDPR.md §7): the re-evaluation schedule and its answers
  | 'tia_review'
  | 'dpf_list_check'
  | 're_evaluation'
  | 're_evaluation_review';

export interface DeadlineRule {
  step: DeadlineStep;
  actor: 'applicant' | 'reviewer' | 'recipient';
  length:
    | { workingDays: number }
    | { calendarDays: number }
    | { months: number }
    | { setByReviewer: true }
    | { untilExpiry: true };
  /** what happens when it passes (DOMAIN.md deadline table) */
  whenMissed: string;
}

/** What a route row says about an application: it matches or not, or a fact it needs is missing. */
export type RouteRuleOutcome = { match: boolean } | { missing: { field: string; reason: string }[] };

/** A row of a pack's route table (DOMAIN.md "Routes"); ids are `<pack>/<row>`. */
export interface RouteRule {
  id: string;
  route: Route | 'exporter_choice';
  reason: string;
  test: (app: PartialApplication, pack: PolicyPack) => RouteRuleOutcome;
}

export interface MaterialRule {
  kind: MaterialKind;
  required: boolean;
  /** a material older than this on submission is stale */
  maxAgeMonths?: number;
  /** required only when filing, not on submission */
  atFiling?: boolean;
}

export interface PolicyPack {
  id: string;
  version: string;
  thresholds: Thresholds;
  /** the route table, evaluated top-down: the first row that matches decides */
  routes: readonly RouteRule[];
  deadlines: readonly DeadlineRule[];
  materials: Readonly<Record<ApprovalRoute, readonly MaterialRule[]>>;
  /** the newest working-day calendar; new transfers pin it */
  calendar: CalendarData;
  /** every calendar version ever released, append-only: a transfer computes with the version it pinned */
  calendars: Readonly<Record<string, CalendarData>>;
  /** the substantive-review checklist (DOMAIN.md step 3) */
  reviewChecklist: readonly { item: string; text: string }[];
  risk: RiskWeights;
  /**
   * Distinct approving reviewers an approval needs, by risk level: of the risk decision, and of a re-review's
   * (final) decision.
   */
  approvers: {
    riskDecision: Readonly<Record<RiskLevel, number>>;
    reReview: Readonly<Record<RiskLevel, number>>;
  };
  /** validity of a security assessment or certification from approval; a standard contract runs its term */
  validityYears: number;
  /** supervision reports cover periods of this many months from approval */
  supervisionPeriodMonths: number;
  /** a period's report may be sent this many calendar days before the period ends (and after, until it is due) */
  reportWindowDays: number;
  /** the extension window opens this many working days before expiry */
  extensionWindowWorkingDays: number;
  /** applicants and recipients are reminded of a deadline with this many working days left */
  remindAtWorkingDaysLeft: number;
  /** an extension is eligible when expected individuals exceed the approved volume by at most this share */
  extensionGrowthLimit: number;
  /**
   * A pack whose lifecycle is not the generic (cn-2024) one decides its own commands, awaiting rules, missed
   * deadlines and materials here (domain/policy/<id>/lifecycle.ts); the generic phases decide everything else.
   */
  flow?: PackFlow;
}
