/**
 * Domain functions the v6 workflow needs that the domain does not export yet (temporary: replaced by the domain's
 * own when the phase split lands).
 */
import type { TransferState } from '../../domain/transfer';

export const RULES_VERSION = 2;

export function upgradeState(state: TransferState): TransferState {
  return state;
}

export function needsFilingNumber(state: TransferState): boolean {
  return !state.filingNumber && state.decisions.some((d) => d.action === 'filing_decision.accept');
}
