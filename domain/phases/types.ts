/**
 * The shape every phase module shares: the commands it decides, whom each of its statuses awaits, and what a
 * missed deadline of its steps does. domain/transfer.ts assembles them into dispatch tables.
 */
import type { ActionName } from '../authz';
import type { Deadline } from '../deadlines';
import type { Role, Status } from '../lifecycle';
import type { DeadlineStep, PolicyPack } from '../policy';
import type { PartialApplication } from '../application';
import type { Finding } from '../completeness';
import type { Outcome, TransferState } from '../transfer-state';

export type { ActionName };

/** Someone who must act next, and how (API.md `awaiting`). */
export interface Awaited {
  role: Role;
  action: ActionName;
}

/** Whom a status awaits; `nowMs` is the moment asked about (some tasks open only in a window). */
export type AwaitingRule = (state: TransferState, nowMs?: number) => Awaited[];

export type Handler<C> = (state: TransferState, command: C, nowMs: number, pack: PolicyPack) => Outcome;

/** One handler per command type of the union. */
export type Handlers<C extends { type: string }> = { [K in C['type']]: Handler<Extract<C, { type: K }>> };

/** What a running deadline of this step does when it passes. */
export type DeadlineConsequence = (
  state: TransferState,
  deadline: Deadline,
  nowMs: number,
  pack: PolicyPack,
) => Outcome;

export interface PhaseRules<C extends { type: string }> {
  commands: Handlers<C>;
  awaiting: Partial<Record<Status, AwaitingRule>>;
  /** missed deadlines with a consequence of their own; any other step is flagged overdue and escalated */
  deadlines?: Partial<Record<DeadlineStep, DeadlineConsequence>>;
}

export const system = { by: 'system', role: 'system' } as const;

export const isoAt = (nowMs: number): string => new Date(nowMs).toISOString();

/**
 * A pack's own lifecycle (PolicyPack.flow): the commands it decides itself (any command the generic phases would
 * decide otherwise, and its own), whom its statuses await, what its missed deadlines do, its materials, and the
 * register number the workflow issues for it. Generic code only dispatches to it.
 */
export interface PackFlow {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  commands: Readonly<Record<string, Handler<any>>>;
  awaiting: Partial<Record<Status, AwaitingRule>>;
  deadlines: Partial<Record<DeadlineStep, DeadlineConsequence>>;
  /** the material kinds the transfer's route requires */
  materialsRequired(state: TransferState): string[];
  /** the completeness findings of an application on a route, at `nowMs` */
  checkMaterials(app: PartialApplication, nowMs: number): Finding[];
  /** the register number the workflow must issue now (its series), or null */
  registerNumberDue(state: TransferState): { series: string } | null;
}
