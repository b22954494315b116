/**
 * The contract between the API, the worker and the workflow: task queue, updates, queries, their payloads,
 * search attributes. Nobody redeclares these.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { PartialApplication } from '../domain/application';
import type { EvidenceCursor } from '../domain/evidence';
import type { Actor } from '../domain/authz';
import type { Command, TransferState } from '../domain/transfer';

export const TASK_QUEUE = 'xborder-transfers';

export const workflowIdFor = (transferId: string): string => `transfer-${transferId}`;
export const transferIdFromWorkflowId = (workflowId: string): string => workflowId.replace(/^transfer-/, '');

export interface TransferInput {
  id: string;
  /** the application as created: a draft until the creator's `submit` update (sent with the start) */
  application: PartialApplication;
  /**
   * set when a long-lived transfer continues as new: its state, the update ids already applied, and how far
   * its evidence is recorded (absent when the earlier run predates the audit trail)
   */
  carried?: { state: TransferState; processedUpdateIds: string[]; evidence?: EvidenceCursor };
  /** set by the workflow when it continues as new: the code version the new run starts at (never by a client) */
  codeVersion?: number;
  createdBy: Actor;
  policyId: string;
  /**
   * the pack version a new transfer is submitted under, fixed by the client that starts it (so replay resolves the
   * same version whatever is released later); absent in inputs from before versioned packs: version 2024.1
   */
  policyVersion?: string;
}

/**
 * What an action's update answers (code version 6 on): the transfer's state after the action and its side
 * effects, and how far its evidence is in the store — the API writes the rest at once (the answer is durable).
 * Workflows of code versions 1–5 answered the bare state; `actionState` reads both.
 */
export interface ActionResult {
  state: TransferState;
  cursor: EvidenceCursor;
}

export const isActionResult = (r: ActionResult | TransferState): r is ActionResult =>
  'cursor' in r && 'state' in r;

/** The state an action answered, whichever code version answered it. */
export const actionState = (r: ActionResult | TransferState): TransferState =>
  isActionResult(r) ? r.state : r;

type Payload<T extends Command['type']> = Omit<Extract<Command, { type: T }>, 'type'>;

export type EditInput = Payload<'edit'>;
export type SubmitInput = Payload<'submit'>;
export type CompletenessInput = Payload<'completeness'>;
export type SupplementInput = Payload<'supplement'>;
export type WithdrawInput = Payload<'withdraw'>;

export const editUpdate = defineUpdate<ActionResult, [EditInput]>('edit');
export const submitUpdate = defineUpdate<ActionResult, [SubmitInput]>('submit');
export const completenessUpdate = defineUpdate<ActionResult, [CompletenessInput]>('completeness');
export const supplementUpdate = defineUpdate<ActionResult, [SupplementInput]>('supplement');
export const withdrawUpdate = defineUpdate<ActionResult, [WithdrawInput]>('withdraw');

export type ReviewInput = Payload<'review'>;
export type ExtendReviewInput = Payload<'extend_review'>;
export type RiskDecisionInput = Payload<'risk_decision'>;
export type RequestReReviewInput = Payload<'request_re_review'>;
export type ReReviewDecisionInput = Payload<'re_review_decision'>;
export type SignInput = Payload<'sign'>;
export type AcknowledgeConditionsInput = Payload<'acknowledge_conditions'>;
export type CountersignInput = Payload<'countersign'>;
export type FileInput = Payload<'file'>;
export type FilingDecisionInput = Payload<'filing_decision'>;

export const reviewUpdate = defineUpdate<ActionResult, [ReviewInput]>('review');
export const extendReviewUpdate = defineUpdate<ActionResult, [ExtendReviewInput]>('extend_review');
export const riskDecisionUpdate = defineUpdate<ActionResult, [RiskDecisionInput]>('risk_decision');
export const requestReReviewUpdate = defineUpdate<ActionResult, [RequestReReviewInput]>('request_re_review');
export const reReviewDecisionUpdate = defineUpdate<ActionResult, [ReReviewDecisionInput]>(
  're_review_decision',
);
export const signUpdate = defineUpdate<ActionResult, [SignInput]>('sign');
export const acknowledgeConditionsUpdate = defineUpdate<ActionResult, [AcknowledgeConditionsInput]>(
  'acknowledge_conditions',
);
export const countersignUpdate = defineUpdate<ActionResult, [CountersignInput]>('countersign');
export const fileUpdate = defineUpdate<ActionResult, [FileInput]>('file');
export const filingDecisionUpdate = defineUpdate<ActionResult, [FilingDecisionInput]>('filing_decision');

export const reportUpdate = defineUpdate<ActionResult, [Payload<'report'>]>('report');
export const superviseUpdate = defineUpdate<ActionResult, [Payload<'supervise'>]>('supervise');
export const respondRectificationUpdate = defineUpdate<ActionResult, [Payload<'respond_rectification'>]>(
  'respond_rectification',
);
export const rectificationDecisionUpdate = defineUpdate<ActionResult, [Payload<'rectification_decision'>]>(
  'rectification_decision',
);
export const reportIncidentUpdate = defineUpdate<ActionResult, [Payload<'report_incident'>]>(
  'report_incident',
);
export const reportChangeUpdate = defineUpdate<ActionResult, [Payload<'report_change'>]>('report_change');
export const changeDecisionUpdate = defineUpdate<ActionResult, [Payload<'change_decision'>]>(
  'change_decision',
);
export const requestExtensionUpdate = defineUpdate<ActionResult, [Payload<'request_extension'>]>(
  'request_extension',
);
export const extensionDecisionUpdate = defineUpdate<ActionResult, [Payload<'extension_decision'>]>(
  'extension_decision',
);

export const confirmExemptionUpdate = defineUpdate<ActionResult, [Payload<'confirm_exemption'>]>(
  'confirm_exemption',
);

// eu-gdpr (domain/policy/eu-gdpr/lifecycle.ts)
export const privacyReviewUpdate = defineUpdate<ActionResult, [Payload<'privacy_review'>]>('privacy_review');
export const reEvaluateUpdate = defineUpdate<ActionResult, [Payload<'re_evaluate'>]>('re_evaluate');
export const reEvaluationDecisionUpdate = defineUpdate<ActionResult, [Payload<'re_evaluation_decision'>]>(
  're_evaluation_decision',
);
export const reopenUpdate = defineUpdate<ActionResult, [Payload<'reopen'>]>('reopen');
export const reportUseUpdate = defineUpdate<ActionResult, [Payload<'report_use'>]>('report_use');

/** Every human action's update, by command type: the workflow registers them all, the API sends them. */
export const actionUpdates = {
  edit: editUpdate,
  submit: submitUpdate,
  completeness: completenessUpdate,
  supplement: supplementUpdate,
  withdraw: withdrawUpdate,
  review: reviewUpdate,
  extend_review: extendReviewUpdate,
  risk_decision: riskDecisionUpdate,
  request_re_review: requestReReviewUpdate,
  re_review_decision: reReviewDecisionUpdate,
  sign: signUpdate,
  acknowledge_conditions: acknowledgeConditionsUpdate,
  countersign: countersignUpdate,
  file: fileUpdate,
  filing_decision: filingDecisionUpdate,
  report: reportUpdate,
  supervise: superviseUpdate,
  respond_rectification: respondRectificationUpdate,
  rectification_decision: rectificationDecisionUpdate,
  report_incident: reportIncidentUpdate,
  report_change: reportChangeUpdate,
  change_decision: changeDecisionUpdate,
  request_extension: requestExtensionUpdate,
  extension_decision: extensionDecisionUpdate,
  confirm_exemption: confirmExemptionUpdate,
  privacy_review: privacyReviewUpdate,
  re_evaluate: reEvaluateUpdate,
  re_evaluation_decision: reEvaluationDecisionUpdate,
  reopen: reopenUpdate,
  report_use: reportUseUpdate,
} as const;

/** Operators' maintenance (no actor): count approximate deadlines again with the newest calendar. */
export const recomputeDeadlinesUpdate = defineUpdate<ActionResult, []>('recompute_deadlines');

export const stateQuery = defineQuery<TransferState>('state');

/** Search attributes (registered at server start): opaque ids and statuses only, never personal data. */
export const searchAttributes = {
  status: defineSearchAttributeKey('TransferStatus', SearchAttributeType.KEYWORD),
  phase: defineSearchAttributeKey('TransferPhase', SearchAttributeType.KEYWORD),
  route: defineSearchAttributeKey('TransferRoute', SearchAttributeType.KEYWORD),
  applicantOrg: defineSearchAttributeKey('ApplicantOrg', SearchAttributeType.KEYWORD),
  recipientId: defineSearchAttributeKey('RecipientId', SearchAttributeType.KEYWORD),
  country: defineSearchAttributeKey('DestinationCountry', SearchAttributeType.KEYWORD),
  riskLevel: defineSearchAttributeKey('RiskLevel', SearchAttributeType.KEYWORD),
  nextDeadline: defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME),
  awaitingRole: defineSearchAttributeKey('AwaitingRole', SearchAttributeType.KEYWORD),
  /** when AwaitingRole's task opens with time alone (a report window); unset when it is open already */
  awaitedFrom: defineSearchAttributeKey('AwaitedFrom', SearchAttributeType.DATETIME),
  overdue: defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL),
} as const;

/** `--search-attribute` arguments for `temporal server start-dev`. */
export const searchAttributeFlags: string[] = Object.values(searchAttributes).flatMap((k) => [
  '--search-attribute',
  `${k.name}=${k.type === SearchAttributeType.DATETIME ? 'Datetime' : k.type === SearchAttributeType.BOOL ? 'Bool' : 'Keyword'}`,
]);
