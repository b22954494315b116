/**
 * State carried over from older code (a continue-as-new input recorded by an earlier version) lacks the facts
 * newer code keeps as fields. `upgradeState` derives them, once, from the decisions that recorded them.
 * It never sets `rulesVersion`: a carried transfer keeps the rules it ran under.
 */
import type { TransferState } from './transfer-state';

type Derived = 'riskDeciders' | 'changesAccepted';

/** A state as an older version of the engine wrote it. */
export type CarriedState = Omit<TransferState, Derived> & Partial<Pick<TransferState, Derived>>;

export function upgradeState(state: CarriedState | TransferState): TransferState {
  if (state.riskDeciders && state.changesAccepted) return state as TransferState;
  const { decisions } = state;
  const accepted = decisions.filter((d) => d.action === 'filing_decision.accept').at(-1);
  return {
    ...state,
    decisions: decisions.map((d) =>
      d.kind === undefined &&
      d.role === 'system' &&
      d.action.startsWith('deadline.') &&
      d.action !== 'deadline.recomputed'
        ? { ...d, kind: 'deadline' as const }
        : d,
    ),
    riskDeciders: [
      ...new Set(decisions.filter((d) => d.action.startsWith('risk_decision')).map((d) => d.by)),
    ],
    changesAccepted: decisions
      .filter((d) => d.action === 'change_decision.accept')
      .map((d) => ({ at: d.at, by: d.by, kinds: (d.details?.kinds as string[] | undefined) ?? [] })),
    filing:
      state.filing && accepted && !state.filing.acceptedAt
        ? { ...state.filing, acceptedAt: accepted.at }
        : state.filing,
  };
}
