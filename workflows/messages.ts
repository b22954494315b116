/**
 * The contract between the API, the worker and the workflow: task queue, updates, queries, their payloads,
 * search attributes. Nobody redeclares these.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { PartialApplication } from '../domain/application';
import type { Actor } from '../domain/authz';
import type { Command, TransferState } from '../domain/transfer';

export const TASK_QUEUE = 'xborder-transfers';

export const workflowIdFor = (transferId: string): string => `transfer-${transferId}`;
export const transferIdFromWorkflowId = (workflowId: string): string => workflowId.replace(/^transfer-/, '');

export interface TransferInput {
  id: string;
  /** the application as created: a draft until the creator's `submit` update (sent with the start) */
  application: PartialApplication;
  createdBy: Actor;
  policyId: string;
}

type Payload<T extends Command['type']> = Omit<Extract<Command, { type: T }>, 'type'>;

export type EditInput = Payload<'edit'>;
export type SubmitInput = Payload<'submit'>;
export type CompletenessInput = Payload<'completeness'>;
export type SupplementInput = Payload<'supplement'>;
export type WithdrawInput = Payload<'withdraw'>;

export const editUpdate = defineUpdate<TransferState, [EditInput]>('edit');
export const submitUpdate = defineUpdate<TransferState, [SubmitInput]>('submit');
export const completenessUpdate = defineUpdate<TransferState, [CompletenessInput]>('completeness');
export const supplementUpdate = defineUpdate<TransferState, [SupplementInput]>('supplement');
export const withdrawUpdate = defineUpdate<TransferState, [WithdrawInput]>('withdraw');

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
  overdue: defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL),
} as const;

/** `--search-attribute` arguments for `temporal server start-dev`. */
export const searchAttributeFlags: string[] = Object.values(searchAttributes).flatMap((k) => [
  '--search-attribute',
  `${k.name}=${k.type === SearchAttributeType.DATETIME ? 'Datetime' : k.type === SearchAttributeType.BOOL ? 'Bool' : 'Keyword'}`,
]);
