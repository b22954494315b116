/**
 * One transfer as a long-lived entity (code version 6; Temporal's safe-message-handlers shape): its state, the
 * update handlers that change it, and the side effects a state calls for, all serialised by one mutex. The main
 * function (workflows/transfer.ts) only waits; everything that changes state happens here.
 */
import { Mutex } from 'async-mutex';
import {
  ApplicationFailure,
  currentUpdateInfo,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { createActivities } from '../../activities';
import { isTerminal } from '../../domain/lifecycle';
import type { PolicyPack } from '../../domain/policy';
import {
  decide,
  needsFilingNumber,
  newTransfer,
  RULES_VERSION,
  upgradeState,
  type Command,
  type TransferState,
} from '../../domain/transfer';
import { cursorFor, type EvidenceCursor } from '../../domain/evidence';
import { referencedDocuments, stepEvidence } from '../../domain/step-evidence';
import {
  actionUpdates,
  recomputeDeadlinesUpdate,
  stateQuery,
  type ActionResult,
  type TransferInput,
} from '../messages';
import { packOf } from './pack';
import { createPublisher } from './publish';

/**
 * Activities by timeout profile: the regular ones, and the evidence write (a local activity: one marker). Each
 * takes milliseconds (a risk score, a text rendered and stored, a numbered row), so a start-to-close of 5 s is
 * ample and bounds what a lost worker costs: the attempt it held is retried elsewhere 5 s after it began (not 30 s).
 * No heartbeats: nothing here runs long enough to report progress. The evidence write runs inside a workflow task,
 * which a lost worker holds until the workflow task timeout (5 s, set at start in api/temporal.ts).
 */
const activities = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '5 seconds',
  retry: { maximumInterval: '1 minute' },
});
const localActivities = proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '10 seconds' },
});

/** v7: transfers of a pack with its own register (eu-gdpr) get their register number from an activity. */
const V7_PACK_REGISTER = 'v7-pack-register-number';

/** How many applied update ids a run carries into the next one. */
const MAX_CARRIED_UPDATE_IDS = 500;

/**
 * Not an ApplicationFailure on purpose: a state the domain should never produce is a bug in deployed code. It
 * fails the workflow *task*, which Temporal retries until fixed code is deployed; the years-long execution lives.
 */
export class TransferInvariantBroken extends Error {
  override readonly name = 'TransferInvariantBroken';
}

function refuse(kind: string, message: string, details?: unknown): never {
  throw ApplicationFailure.nonRetryable(message, kind, details);
}

export class TransferEntity {
  state: TransferState;
  readonly pack: PolicyPack;
  /** bumped by every applied change; the main loop wakes on it */
  version = 0;
  readonly mutex = new Mutex();
  private readonly processed: string[];
  private readonly publish: (state: TransferState) => void;
  /** how far this transfer's evidence is in the store */
  private cursor: EvidenceCursor;
  /** the state as of the end of the last completed workflow task: what is durably in history */
  private durable: TransferState;
  private task = -1;
  private readonly linked = new Set<string>();
  private recordedStatus: string;
  private recordedApplication: TransferState['application'] | undefined;

  constructor(private readonly input: TransferInput) {
    const carried = input.carried?.state;
    this.pack = packOf(input);
    this.state = carried
      ? upgradeState(carried)
      : newTransfer({
          id: input.id,
          application: input.application,
          createdBy: input.createdBy,
          pack: this.pack,
          nowMs: Date.now(),
          rulesVersion: RULES_VERSION,
        });
    this.durable = this.state;
    this.processed = [...(input.carried?.processedUpdateIds ?? [])];
    this.cursor = input.carried?.evidence ?? cursorFor(this.state, carried !== undefined);
    this.publish = createPublisher(carried, () => true);
    this.recordedStatus = input.carried?.evidence ? this.state.status : '';
    this.recordedApplication = input.carried?.evidence ? this.state.application : undefined;
  }

  get terminal(): boolean {
    return isTerminal(this.state.status);
  }

  /** Handlers first thing: every human action, the operators' recompute, the state query. */
  register(): void {
    for (const [type, def] of Object.entries(actionUpdates)) {
      setHandler(
        def as unknown as UpdateDefinition<ActionResult, [object]>,
        (payload: object) => this.act({ type, ...payload } as unknown as Command),
        { validator: (payload: object) => this.validate({ type, ...payload } as unknown as Command) },
      );
    }
    setHandler(recomputeDeadlinesUpdate, () => this.act({ type: 'recompute_deadlines' }), {
      validator: () => this.validate({ type: 'recompute_deadlines' }),
    });
    setHandler(stateQuery, () => this.state);
    this.publish(this.state);
  }

  /**
   * The validator: would this command be allowed now? Refuses synchronously with the domain's refusal; a domain
   * exception refuses this one update (`internal`) and leaves the execution alone.
   */
  private validate(command: Command): void {
    if (this.seenUpdate()) return;
    // closed, the transfer answers every caller as a completed execution does (its last step may still be running)
    if (this.terminal) refuse('wrong-phase', 'the transfer is closed; it takes no more actions');
    let outcome: ReturnType<typeof decide>;
    try {
      outcome = decide(this.state, command, Date.now(), this.pack);
    } catch (err) {
      refuse(
        'internal',
        `the ${command.type} decision failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (!outcome.ok)
      refuse(outcome.refusal.kind, outcome.refusal.message, { errors: outcome.refusal.errors ?? [] });
  }

  /**
   * The handler: under the mutex, decide again against the state as it is now (another handler may have moved it
   * since the validator ran), apply, run the side effects the new state calls for, answer the state and the
   * evidence cursor (the API writes the evidence of what it was answered, which is durable by then).
   */
  private act(command: Command): Promise<ActionResult> {
    // the task that delivered the update (the same on replay), taken before waiting for the mutex
    const delivered = workflowInfo().historyLength;
    const at = Date.now();
    return this.mutex.runExclusive(async () => {
      if (!this.seenUpdate()) {
        const outcome = decide(this.state, command, at, this.pack);
        if (!outcome.ok)
          refuse(outcome.refusal.kind, outcome.refusal.message, { errors: outcome.refusal.errors ?? [] });
        this.observe(delivered);
        this.set(outcome.state, false);
        this.remember();
        await this.settle();
      }
      return { state: this.state, cursor: this.cursor };
    });
  }

  /**
   * A deadline's instant has come: the domain's consequence, decided as of the deadline's instant. It follows from
   * the fired timer alone, which is in history, so a retried task decides exactly the same: when nothing else is
   * pending in this task it is durable at once, and its evidence is written now. A refusal here is a bug: the task
   * retries until fixed code is deployed.
   */
  deadlinePassed(step: string, dueAt: string): Promise<void> {
    return this.mutex.runExclusive(() => {
      const current = this.state.deadlines.find((d) => d.step === step && d.dueAt === dueAt);
      if (!current) return; // moved meanwhile (an action under the mutex re-armed it)
      const outcome = decide(
        this.state,
        { type: 'deadline_passed', step } as Command,
        Date.parse(dueAt),
        this.pack,
      );
      if (!outcome.ok)
        throw new TransferInvariantBroken(`deadline_passed ${step}: ${outcome.refusal.message}`);
      this.observe();
      const durableBefore = this.durable === this.state;
      this.set(outcome.state);
      if (durableBefore) this.durable = this.state;
    });
  }

  /** Closed from outside (Temporal UI/CLI cancellation): the transfer ends as `cancelled`. */
  cancelExecution(): void {
    if (this.terminal) return;
    const outcome = decide(
      this.state,
      { type: 'cancel_execution', by: 'temporal', reason: 'execution cancelled by an operator' },
      Date.now(),
      this.pack,
    );
    if (!outcome.ok) throw new TransferInvariantBroken(`cancel_execution: ${outcome.refusal.message}`);
    this.set(outcome.state, false); // durable after the end's task boundary (finish)
  }

  /** The post-wait step: side effects the state calls for, then the evidence of what is durable. */
  step(): Promise<void> {
    return this.mutex.runExclusive(async () => {
      await this.settle();
      await this.record();
    });
  }

  /** Whether everything applied is durably in history (nothing of the current workflow task pending). */
  get allDurable(): boolean {
    return this.durable === this.state;
  }

  /** After a timer fired (an activation every replay has too): everything applied before it is durable. */
  markTaskBoundary(): void {
    this.observe();
  }

  /** Write the evidence of the durable state (a local activity; nothing new, nothing scheduled). */
  async record(): Promise<void> {
    // no observe() here: record runs after local activities too, whose results may arrive in a later workflow task
    // when first executed than on replay; the durable snapshot moves only where histories agree (see observe)
    const snapshot = this.durable;
    const application = snapshot.application !== this.recordedApplication ? snapshot.application : undefined;
    const { evidence, next } = stepEvidence(
      snapshot,
      this.cursor,
      new Date(Date.now()).toISOString(),
      application,
    );
    evidence.documentIds = evidence.documentIds.filter((id) => !this.linked.has(id));
    const nothing =
      evidence.entries.length + evidence.notifications.length + evidence.documentIds.length === 0 &&
      snapshot.status === this.recordedStatus &&
      application === undefined;
    if (nothing) return;
    await localActivities.recordEvidence(evidence);
    this.cursor = next;
    evidence.documentIds.forEach((id) => this.linked.add(id));
    this.recordedStatus = snapshot.status;
    this.recordedApplication = snapshot.application;
  }

  /** A long supervision continues as new per reporting period, or when the server suggests it. */
  shouldContinueAsNew(): boolean {
    const { state } = this;
    if (this.terminal || (!state.supervision && state.status !== 'exempt')) return false;
    const info = workflowInfo();
    const periodAtStart = this.input.carried?.state.supervision?.periodStart;
    return (
      info.continueAsNewSuggested ||
      info.historyLength > 1_500 ||
      (state.supervision !== null && state.supervision.periodStart !== periodAtStart)
    );
  }

  /** The next run's input: the state (its pending evidence is durable once that run exists) and the cursor. */
  continuedInput(codeVersion: number): TransferInput {
    return {
      ...this.input,
      application: this.state.application,
      carried: { state: this.state, processedUpdateIds: this.processed, evidence: this.cursor },
      codeVersion,
    };
  }

  /** Everything the workflow applies goes through here (the durable snapshot is taken before the first change of a task). */
  private set(next: TransferState, observe = true): void {
    if (observe) this.observe();
    this.state = next;
    this.version++;
    this.publish(next);
  }

  /**
   * A new workflow task means the previous one's completion was persisted: what was applied until then is in
   * history. (`historyLength` is that of the current task.) Called only where first execution and replay see the
   * same task: applying a change (an update, a fired timer, a regular activity's result) and after a fired timer —
   * never after a local activity, whose result the first execution may receive in a later task than a replay.
   */
  private observe(length = workflowInfo().historyLength): void {
    if (length <= this.task) return;
    this.task = length;
    this.durable = this.state;
  }

  /** Run the activities the current state calls for; each result applied unless the state moved on meanwhile. */
  private async settle(): Promise<void> {
    if (this.state.status === 'risk_assessment' && !this.state.risk) {
      const risk = await activities.scoreRisk({
        application: this.state.application,
        route: this.state.route?.route ?? null,
        policy: this.state.policy,
      });
      this.applyIfStillDue({ type: 'risk_scored', risk });
    }
    if (this.state.status === 'awaiting_signature' && !this.state.agreement) {
      const s = this.state;
      const approvedBy = s.approvals.map((a) => a.by);
      const rendered = await activities.renderAgreement({
        transferId: s.id,
        application: s.application,
        route: s.route?.route ?? 'unknown',
        policy: s.policy,
        conditions: s.conditions.map(({ id, text }) => ({ id, text })),
        approvedAt: s.approvedAt!,
        approvedBy: approvedBy.length ? approvedBy : [s.decisions.at(-1)?.by ?? 'unknown'],
      });
      this.applyIfStillDue({ type: 'agreement_rendered', ...rendered });
    }
    if (this.state.status === 'change_review' && this.state.change && !this.state.change.risk) {
      const risk = await activities.scoreRisk({
        application: this.state.change.proposed,
        route: this.state.change.route.route,
        policy: this.state.policy,
      });
      this.applyIfStillDue({ type: 'change_scored', risk });
    }
    if (needsFilingNumber(this.state)) {
      const at = new Date(Date.now()).toISOString();
      const filingNumber = await activities.issueFilingNumber({
        transferId: this.state.id,
        year: Number(at.slice(0, 4)),
        at,
      });
      this.applyIfStillDue({ type: 'filing_number_issued', filingNumber });
    }
    await this.issueRegisterNumber();
  }

  /**
   * A pack with a register of its own (eu-gdpr: no regulator filing) numbers an approved transfer, which makes it
   * active. Only transfers of such a pack reach this (code version 7): histories of earlier versions never did.
   */
  private async issueRegisterNumber(): Promise<void> {
    const due = this.pack.flow?.registerNumberDue(this.state);
    if (!due || !patched(V7_PACK_REGISTER)) return;
    const at = new Date(Date.now()).toISOString();
    const registerNumber = await activities.issueRegisterNumber({
      transferId: this.state.id,
      series: due.series,
      year: Number(at.slice(0, 4)),
      at,
    });
    this.applyIfStillDue({ type: 'register_number_issued', registerNumber });
  }

  /** A system step's result: applied unless the state moved on meanwhile (e.g. withdrawn while it ran). */
  private applyIfStillDue(command: Command): void {
    const outcome = decide(this.state, command, Date.now(), this.pack);
    if (outcome.ok) this.set(outcome.state);
  }

  // Update ids applied in this run and carried from earlier runs, so a retried request stays applied once across
  // continue-as-new (Temporal deduplicates update ids only within a run).
  private seenUpdate(): boolean {
    const id = currentUpdateInfo()?.id;
    return id !== undefined && this.processed.includes(id);
  }

  private remember(): void {
    const id = currentUpdateInfo()?.id;
    if (id === undefined) return;
    this.processed.push(id);
    if (this.processed.length > MAX_CARRIED_UPDATE_IDS)
      this.processed.splice(0, this.processed.length - MAX_CARRIED_UPDATE_IDS);
  }
}

export { referencedDocuments };
