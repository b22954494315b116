/**
 * Domain functions the v6 workflow needs that the domain does not export yet (temporary: replaced by the domain's
 * own when the phase split lands).
 */
import { policyById, packWithCalendar, type PolicyPack } from '../../domain/policy';
import type { TransferState } from '../../domain/transfer';

export const RULES_VERSION = 2;

export function upgradeState(state: TransferState): TransferState {
  return state;
}

export function needsFilingNumber(state: TransferState): boolean {
  return !state.filingNumber && state.decisions.some((d) => d.action === 'filing_decision.accept');
}

export function packOf(policy: { id: string; version?: string }, calendarVersion?: string): PolicyPack {
  const pack = policyById(policy.id);
  if (!pack) throw new Error(`unknown policy pack ${policy.id}`);
  return packWithCalendar(pack, calendarVersion);
}
