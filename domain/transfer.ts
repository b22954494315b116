/**
 * The transfer as a pure state machine: `decide(state, command, now, pack)` either refuses (with a kind the API
 * maps to a status) or returns the next state. The workflow's update validators call it to refuse, its handlers
 * call it to move; tests call it directly. Each phase — its commands, whom it awaits, what its missed deadlines
 * do — is one file in domain/phases/; this file is the dispatch table over them.
 */
import { authorize } from './authz';
import type { Status } from './lifecycle';
import { packWithCalendar, resolvePolicy, type DeadlineStep, type PolicyPack } from './policy';
import { scopeOf, type Outcome, type TransferState } from './transfer-state';
import { agreementPhase, type AgreementCommand } from './phases/agreement';
import { applicationPhase, type ApplicationCommand } from './phases/application';
import { changePhase, type ChangeCommand } from './phases/change';
import { completenessPhase, type CompletenessCommand } from './phases/completeness';
import { extensionPhase, type ExtensionCommand } from './phases/extension';
import { filingPhase, type FilingCommand } from './phases/filing';
import { measuresPhase, type MeasureCommand } from './phases/measures';
import { reviewPhase, type ReviewCommand } from './phases/review';
import { riskPhase, type RiskCommand } from './phases/risk';
import { reportAwaitedFrom, supervisionPhase, type SupervisionCommand } from './phases/supervision';
import { cancelExecution, deadlinePassed, recomputeDeadlines, type SystemCommand } from './phases/system';
import type { Awaited, AwaitingRule, DeadlineConsequence, Handler, Handlers } from './phases/types';
import { upgradeState } from './upgrade';
import { refuse } from './transfer-state';
import type { EuCommand } from './policy/eu-gdpr/lifecycle';

export * from './transfer-state';
export type { Awaited, ActionName } from './phases/types';
export { upgradeState, type CarriedState } from './upgrade';
export { separationOfDuties, type SeparationOfDuties } from './phases/risk';

export type Command =
  | ApplicationCommand
  | CompletenessCommand
  | ReviewCommand
  | RiskCommand
  | AgreementCommand
  | FilingCommand
  | SupervisionCommand
  | MeasureCommand
  | ChangeCommand
  | ExtensionCommand
  | EuCommand
  | SystemCommand;

const phases = [
  applicationPhase,
  completenessPhase,
  reviewPhase,
  riskPhase,
  agreementPhase,
  filingPhase,
  supervisionPhase,
  measuresPhase,
  changePhase,
  extensionPhase,
] as const;

const consequences: Partial<Record<DeadlineStep, DeadlineConsequence>> = Object.assign(
  {},
  ...phases.map((p) => p.deadlines ?? {}),
) as Partial<Record<DeadlineStep, DeadlineConsequence>>;

const awaitingRules: Partial<Record<Status, AwaitingRule>> = Object.assign(
  {},
  ...phases.map((p) => p.awaiting),
) as Partial<Record<Status, AwaitingRule>>;

/** One handler per command type; the compiler checks that none is missing. */
const handlers: Handlers<Command> = {
  ...applicationPhase.commands,
  ...completenessPhase.commands,
  ...reviewPhase.commands,
  ...riskPhase.commands,
  ...agreementPhase.commands,
  ...filingPhase.commands,
  ...supervisionPhase.commands,
  ...measuresPhase.commands,
  ...changePhase.commands,
  ...extensionPhase.commands,
  deadline_passed: deadlinePassed(consequences),
  recompute_deadlines: (state, _command, nowMs, pack) => recomputeDeadlines(state, nowMs, pack),
  cancel_execution: cancelExecution,
  // commands of the eu-gdpr lifecycle (its pack's flow decides them)
  ...(Object.fromEntries(
    (
      [
        'privacy_review',
        'register_number_issued',
        're_evaluate',
        're_evaluation_decision',
        'reopen',
        'report_use',
      ] as const
    ).map((t) => [
      t,
      () => refuse('wrong-phase', `${t.replace(/_/g, '-')} is part of the eu-gdpr lifecycle only`),
    ]),
  ) as unknown as Pick<Handlers<Command>, EuCommand['type']>),
};

/**
 * Who must act next, and how (API.md `awaiting`); nobody once the transfer is closed. At `nowMs` (default: the
 * state's own instant, `updatedAt`): some tasks open with time alone (the supervision report's window).
 */
export function awaiting(state: TransferState, nowMs?: number): Awaited[] {
  const rule = flowOf(state)?.awaiting[state.status] ?? awaitingRules[state.status];
  return rule?.(upgradeState(state), nowMs ?? Date.parse(state.updatedAt)) ?? [];
}

/** The lifecycle of the pack a transfer pinned, where it has one of its own. */
const flowOf = (state: TransferState) =>
  // (a state from before versioned packs, or a partial one, pinned none: the generic lifecycle)
  state.policy?.version ? resolvePolicy(state.policy.id, state.policy.version)?.flow : undefined;

/**
 * The next instant after `nowMs` at which `awaiting` changes without any command (a report window opening), or
 * null: the workflow wakes up then to publish whom the transfer awaits.
 */
export function awaitingChangesAt(state: TransferState, nowMs: number): string | null {
  return reportAwaitedFrom(state, nowMs);
}

export function decide(
  carried: TransferState,
  command: Command,
  nowMs: number,
  policyPack: PolicyPack,
): Outcome {
  // a state an older version carried over gets its facts as fields first (the same object when it has them)
  const state = upgradeState(carried);
  // a recount moves the transfer to the newest calendar; everything else computes with the calendar it pinned
  if (command.type === 'recompute_deadlines') return recomputeDeadlines(state, nowMs, policyPack);
  const pack = packWithCalendar(policyPack, state.calendarVersion);
  if ('actor' in command) {
    const denied = authorize(command.type, command.actor, scopeOf(state));
    if (denied) return { ok: false, refusal: denied };
  }
  // a pack with a lifecycle of its own decides its commands; the generic phases decide the rest
  const handler = (pack.flow?.commands[command.type] ?? handlers[command.type]) as Handler<Command>;
  return handler(state, command, nowMs, pack);
}
