/**
 * Events that re-open eu-gdpr transfers (issue 13 item 4; EU-GDPR.md §3, §7): which active transfers a DPF listing
 * or an adequacy decision that changed affects. The fan-out is api/routes/policy-events.ts; the re-opening itself
 * is the `reopen` step of ./lifecycle.ts. Pure.
 */
import type { TransferState } from '../../transfer-state';
import type { Route } from '../types';
import { factsOf, type EuApplication } from './application';
import type { DpfStatus } from './facts';

/** An operator's event that may re-open active eu-gdpr transfers (issue 13 item 4). */
export type EuEvent =
  | { kind: 'dpf_status'; recipientId: string; status: DpfStatus; on: string; reason: string }
  | { kind: 'adequacy_decision'; country: string; on: string; reason: string };

/**
 * Whether an event affects a transfer: a DPF listing that is no longer active, of the importer a transfer relying
 * on the DPF names (EU-GDPR.md §3: the exact entity, active); an adequacy decision of the destination a transfer
 * relies on (§7: monitor the decision).
 */
export function euAffectedBy(state: TransferState, event: EuEvent): boolean {
  if (state.policy.id !== 'eu-gdpr' || state.route?.route !== ('adequacy' as Route)) return false;
  const facts = factsOf(state);
  const recipient = (state.application as unknown as Partial<EuApplication>).recipient;
  if (event.kind === 'adequacy_decision')
    return recipient?.country === event.country || facts.importer?.country === event.country;
  const relies = facts.importer?.country === 'US' && facts.importer.scopeFacts?.dpf !== undefined;
  return relies && recipient?.id === event.recipientId && !event.status.startsWith('active');
}
