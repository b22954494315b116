/**
 * State-level replay: re-derive a transfer's state from a recorded history with today's `decide` and today's
 * policy pack, and set it beside every state the workflow recorded in that history (each update's result, the
 * workflow's result, the state a run carried into continue-as-new).
 *
 * What goes into the fold, as workflows/transfer.ts does it:
 * - the first run starts from `newTransfer(input)` at the first workflow task; a continued run from
 *   `input.carried.state` (and skips the update ids carried in `processedUpdateIds`);
 * - every accepted update `u` with argument `p` is the command `{ type: u.name, ...p }` (`p` carries the actor;
 *   `recompute_deadlines` has none) — the workflow registers one update per command type (workflows/messages.ts);
 * - the results of the activities the state calls for are system commands: `scoreRisk` → `risk_scored` (or
 *   `change_scored` during a change review), `renderAgreement` → `agreement_rendered`, `issueFilingNumber` →
 *   `filing_number_issued`, `issueRegisterNumber` → `register_number_issued` (a pack with its own register, code
 *   version 7); applied only if the domain still accepts them ("applyIfStillDue");
 * - a fired deadline timer is `deadline_passed` for the nearest deadline.
 * `Date.now()` in a workflow is the start time of the workflow task that runs the code: an update is decided at
 * the start of the task it was accepted in (the last task started before its Accepted event), an activity result
 * or a timer at the start of the next task (the one the Completed / Fired event wakes).
 * Code version 6 (the `v6-entity-one-wait-durable-evidence` patch, or `codeVersion` ≥ 6): new transfers run rules
 * version 2 (1 before), an update answers `{ state, cursor }`, a deadline's consequence is decided as of the
 * deadline's instant, and a cancellation request is `cancel_execution` at the next task.
 * One quirk of old histories is repeated: a workflow started before v3 (no `v3-exempt-recheck` patch marker,
 * `codeVersion` < 3) keeps no yearly re-check deadline when it becomes exempt.
 */
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { PRE_VERSIONING_POLICY_VERSION, resolvePolicy } from '../../domain/policy';
import { decide, newTransfer, nextDeadline, type Command, type TransferState } from '../../domain/transfer';
import type { TransferInput } from '../../workflows/messages';

type History = temporal.api.history.v1.IHistory;
type Timestamp = temporal.api.history.v1.IHistoryEvent['eventTime'];
const EventType = temporal.api.enums.v1.EventType;

/** One state the workflow recorded, and the state the fold re-derived at the same point. */
export interface StateCheck {
  at: string;
  recorded: unknown;
  folded: unknown;
}

const ms = (t: Timestamp): number => Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
/** JSON, as a state travels in a payload */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

export async function foldHistory(
  history: History,
  codec: PayloadCodec,
): Promise<{ checks: StateCheck[]; updates: number }> {
  const decode = async (payloads: Payload[] | null | undefined): Promise<unknown[]> =>
    (await codec.decode(payloads ?? [])).map((p) => defaultPayloadConverter.fromPayload(p));
  const events = history.events ?? [];
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new Error('the history does not begin with the workflow start');
  const input = (await decode(started.input?.payloads))[0] as TransferInput;
  const version = input.carried?.state.policy.version ?? input.policyVersion ?? PRE_VERSIONING_POLICY_VERSION;
  const pack = resolvePolicy(input.policyId, version);
  if (!pack) throw new Error(`unknown policy pack ${input.policyId}@${version}`);

  const patches = new Set<string>();
  for (const e of events) {
    const m = e.markerRecordedEventAttributes;
    if (m?.markerName !== 'core_patch') continue;
    for (const d of await decode(m.details?.['patch-data']?.payloads)) patches.add((d as { id: string }).id);
  }
  const v6 = (input.codeVersion ?? 0) >= 6 || patches.has('v6-entity-one-wait-durable-evidence');
  const exemptRecheck = v6 || (input.codeVersion ?? 0) >= 3 || patches.has('v3-exempt-recheck');
  /** what an update answered: the state (v1–v5), or `{ state, cursor }` (v6) */
  const answered = (r: unknown): unknown => (v6 && r && typeof r === 'object' && 'state' in r ? r.state : r);

  const checks: StateCheck[] = [];
  let state: TransferState | undefined = input.carried?.state;
  const current = (): TransferState => {
    if (!state) throw new Error('no state before the first workflow task');
    return state;
  };
  const processed = new Set(input.carried?.processedUpdateIds ?? []);
  const activityTypes = new Map<string, string>();
  const updateNames = new Map<string, string>();
  let pending: (() => Command | undefined)[] = [];
  let now = 0;
  let updates = 0;

  const apply = (command: Command, at: string, atMs = now): void => {
    const outcome = decide(current(), command, atMs, pack);
    if (!outcome.ok) {
      checks.push({
        at,
        recorded: 'applied',
        folded: `refused: ${outcome.refusal.kind} ${outcome.refusal.message}`,
      });
      return;
    }
    state = outcome.state;
    if (command.type === 'submit' && state.status === 'exempt' && !exemptRecheck)
      state = { ...state, deadlines: state.deadlines.filter((d) => d.step !== 'exempt_recheck') };
  };
  const applyIfStillDue = (command: Command): void => {
    const outcome = decide(current(), command, now, pack);
    if (outcome.ok) state = outcome.state;
  };

  for (const e of events) {
    const id = String(e.eventId);
    switch (e.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED: {
        now = ms(e.eventTime);
        state ??= newTransfer({
          id: input.id,
          application: input.application,
          createdBy: input.createdBy,
          pack,
          nowMs: now,
          rulesVersion: v6 ? 2 : 1,
        });
        for (const next of pending) {
          const command = next();
          if (command?.type === 'deadline_passed') {
            const dueAt = v6 ? nextDeadline(current())?.dueAt : undefined;
            apply(command, `deadline timer (event ${id})`, dueAt ? Date.parse(dueAt) : now);
          } else if (command) applyIfStillDue(command);
        }
        pending = [];
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        activityTypes.set(id, e.activityTaskScheduledEventAttributes?.activityType?.name ?? '');
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const a = e.activityTaskCompletedEventAttributes!;
        const type = activityTypes.get(String(a.scheduledEventId));
        const [result] = await decode(a.result?.payloads);
        pending.push((): Command | undefined => {
          if (type === 'scoreRisk')
            return current().status === 'change_review'
              ? ({ type: 'change_scored', risk: result } as Command)
              : ({ type: 'risk_scored', risk: result } as Command);
          if (type === 'renderAgreement')
            return { type: 'agreement_rendered', ...(result as object) } as Command;
          if (type === 'issueFilingNumber')
            return { type: 'filing_number_issued', filingNumber: result } as Command;
          if (type === 'issueRegisterNumber')
            return { type: 'register_number_issued', registerNumber: result } as Command;
          return undefined; // evidence writes and notices change no state
        });
        break;
      }
      case EventType.EVENT_TYPE_TIMER_FIRED:
        pending.push(() => {
          const next = nextDeadline(current());
          return next ? { type: 'deadline_passed', step: next.step } : undefined;
        });
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
        if (v6)
          pending.push(() => ({
            type: 'cancel_execution',
            by: 'temporal',
            reason: 'execution cancelled by an operator',
          }));
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: {
        const request = e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!;
        const updateId = request.meta?.updateId ?? '';
        const name = request.input?.name ?? '';
        updateNames.set(updateId, name);
        if (processed.has(updateId)) break; // applied in an earlier run: the handler returns the state as it is
        processed.add(updateId);
        const [payload] = await decode(request.input?.args?.payloads);
        apply({ type: name, ...(payload as object) } as Command, `update ${name} (event ${id})`);
        updates++;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED: {
        const c = e.workflowExecutionUpdateCompletedEventAttributes!;
        if (!c.outcome?.success) break;
        const [recorded] = await decode(c.outcome.success.payloads);
        const name = updateNames.get(c.meta?.updateId ?? '') ?? '?';
        checks.push({
          at: `result of update ${name} (event ${id})`,
          recorded: answered(recorded),
          folded: plain(current()),
        });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED: {
        const [recorded] = await decode(e.workflowExecutionCompletedEventAttributes?.result?.payloads);
        checks.push({ at: `workflow result (event ${id})`, recorded, folded: plain(current()) });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW: {
        const a = e.workflowExecutionContinuedAsNewEventAttributes!;
        const [next] = (await decode(a.input?.payloads)) as TransferInput[];
        checks.push({
          at: `state carried into continue-as-new (event ${id})`,
          recorded: next?.carried?.state,
          folded: plain(current()),
        });
        break;
      }
    }
  }
  return { checks, updates };
}
