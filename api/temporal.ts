/**
 * The API's door to Temporal: every call under a client deadline; Temporal's errors become problems
 * (validator refusals keep their kind; an unreachable server or absent worker becomes 503 + Retry-After).
 */
import type { Payload } from '@temporalio/common';
import {
  Client,
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
  isGrpcServiceError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { isProblemKind } from '../domain/errors';
import { decide, type Command, type TransferState } from '../domain/transfer';
import { isTerminal } from '../domain/lifecycle';
import { activePolicy, pinnedPolicy } from '../domain/policy';
import { stepEvidence, type StepEvidence } from '../domain/step-evidence';
import {
  editUpdate,
  isActionResult,
  type ActionResult,
  stateQuery,
  submitUpdate,
  transferIdFromWorkflowId,
  workflowIdFor,
  type TransferInput,
} from '../workflows/messages';
import type { transferWorkflow } from '../workflows';
import { HttpProblem } from './problems';
import { traced } from '../tracing';

export interface Summary {
  id: string;
  title: string | null;
  status: string;
  phase: string | null;
  route: string | null;
  destinationCountry: string | null;
  riskLevel: string | null;
  awaitingRole: string | null;
  nextDeadline: string | null;
  /** working days until nextDeadline on the active pack's calendar (a list row; the transfer's view uses its pinned pack) */
  workingDaysLeft: number | null;
  overdue: boolean;
  createdAt: string | null;
  awaitingAction: string | null;
}

/**
 * The transfer workflow's workflow task timeout (kept by its continued runs): Temporal's default. 5 s made a lost
 * worker's task move on sooner, but on a loaded 2-core machine a replaying task took longer than that, timed out,
 * and Temporal then retried it only after a minute's backoff (seen in test/api/crash.test.ts under CI).
 */
export const WORKFLOW_TASK_TIMEOUT = '10 seconds';

/** WorkflowExecutionStatus values of visibility rows */
const RUNNING = 1;
const CONTINUED_AS_NEW = 6;

/**
 * The state of a transfer whose execution was closed from outside without running workflow code (terminated,
 * timed out, failed): the domain's `cancel_execution`, as of the close time.
 */
export function closedFromOutside(state: TransferState, execution: string, atMs: number): TransferState {
  if (isTerminal(state.status)) return state;
  const outcome = decide(
    state,
    {
      type: 'cancel_execution',
      by: 'temporal',
      reason: `execution ${execution.toLowerCase()}`,
    } as unknown as Command,
    atMs,
    pinnedPolicy(state) ?? activePolicy,
  );
  return outcome.ok ? outcome.state : { ...state, status: 'cancelled', deadlines: [] };
}

/** gRPC status codes used below */
const GRPC = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  FAILED_PRECONDITION: 9,
  UNAVAILABLE: 14,
} as const;

export class TransferGateway {
  constructor(
    readonly client: Client,
    private readonly taskQueue: string,
    private readonly timeoutMs: number,
    /**
     * Where the evidence of an answered action goes at once (the answer is durable in the workflow's history by
     * then); the workflow writes the same, idempotently, at its next step.
     */
    private readonly recordEvidence?: (evidence: StepEvidence) => Promise<unknown>,
    /** read repair: what a queried state holds and the audit chain lacks (store/index.ts repairEvidence) */
    private readonly repairEvidence?: (state: TransferState) => Promise<unknown>,
    /** readiness: a worker counts as present when it polled this recently (config.ts workerSeenMs) */
    private readonly workerSeenMs = 70_000,
  ) {}

  /** The state an action answered, after writing its evidence (code version 6 answers `{ state, cursor }`). */
  private async settled(result: ActionResult | TransferState): Promise<TransferState> {
    if (!isActionResult(result)) return result;
    if (this.recordEvidence) {
      const { evidence } = stepEvidence(
        result.state,
        result.cursor,
        new Date().toISOString(),
        result.state.application,
      );
      try {
        const record = this.recordEvidence;
        await traced('evidence.recordStep', () => record(evidence), {
          'xborder.transfer_id': evidence.facts.transferId,
        });
      } catch {
        // the action is kept; the workflow writes the same evidence at its next step
      }
    }
    return result.state;
  }

  /** A memo value from raw visibility: through the codecs (the title is encrypted), then the converter. */
  private async decodeMemo(payload: Payload): Promise<unknown> {
    const { payloadCodecs, payloadConverter } = this.client.options.loadedDataConverter;
    let decoded = [payload];
    for (const codec of [...payloadCodecs].reverse()) decoded = await codec.decode(decoded);
    return payloadConverter.fromPayload(decoded[0]!);
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.client.connection.withDeadline(Date.now() + this.timeoutMs, fn);
    } catch (err) {
      throw toProblem(err);
    }
  }

  /** Start a transfer's workflow and submit it (or keep it a draft), atomically; one workflow per id. */
  async create(input: TransferInput & { submit: boolean }, updateId: string): Promise<TransferState> {
    const { submit, ...workflowInput } = input;
    const start = new WithStartWorkflowOperation<typeof transferWorkflow>('transferWorkflow', {
      workflowId: workflowIdFor(input.id),
      taskQueue: this.taskQueue,
      args: [workflowInput],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // a workflow task held by a worker that died is handed to another after this (Temporal's default: 10 s);
      // a task takes milliseconds, a replay of a run (continued as new long before it grows) well under a second
      workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
    });
    const result = await this.call<ActionResult | TransferState>(() =>
      submit
        ? this.client.workflow.executeUpdateWithStart(submitUpdate, {
            args: [{ actor: input.createdBy }],
            updateId,
            startWorkflowOperation: start,
          })
        : this.client.workflow.executeUpdateWithStart(editUpdate, {
            args: [{ actor: input.createdBy, patch: {} }],
            updateId,
            startWorkflowOperation: start,
          }),
    );
    return this.settled(result);
  }

  /**
   * One transfer's state. An execution closed from outside (terminated, timed out, failed: no workflow code ran to
   * record it) is reconciled here: the transfer reads as `cancelled`, awaiting nobody.
   */
  async get(id: string): Promise<TransferState> {
    const handle = this.client.workflow.getHandle(workflowIdFor(id));
    const [state, description] = await this.call(() =>
      Promise.all([handle.query(stateQuery), handle.describe()]),
    );
    try {
      await this.repairEvidence?.(state);
    } catch {
      // a read answers even when the store is busy; the next read or step repairs
    }
    const execution = description.status.name;
    if (execution === 'RUNNING' || execution === 'COMPLETED' || execution === 'CONTINUED_AS_NEW')
      return state;
    return closedFromOutside(state, execution, (description.closeTime ?? new Date()).getTime());
  }

  async update<I>(
    id: string,
    def: UpdateDefinition<ActionResult, [I]>,
    input: I,
    updateId: string,
  ): Promise<TransferState> {
    const result = await this.call<ActionResult | TransferState>(() =>
      this.client.workflow.getHandle(workflowIdFor(id)).executeUpdate(def, { args: [input], updateId }),
    );
    return this.settled(result);
  }

  /**
   * Which of these transfers' executions are closed (terminated, timed out, completed…): one visibility query by
   * workflow id. A transfer with a running run, a run continued as new, or no row yet (visibility lags a start) is
   * not closed.
   */
  async closedAmong(transferIds: string[]): Promise<Set<string>> {
    if (transferIds.length === 0) return new Set();
    const ids = transferIds.map((id) => `'${workflowIdFor(id).replace(/'/g, "''")}'`).join(', ');
    const open = new Set<string>();
    const closed = new Set<string>();
    let nextPageToken: Uint8Array | undefined;
    do {
      const res = await this.call(() =>
        this.client.workflowService.listWorkflowExecutions({
          namespace: this.client.options.namespace,
          query: `WorkflowId IN (${ids})`,
          pageSize: 1000,
          ...(nextPageToken ? { nextPageToken } : {}),
        }),
      );
      for (const e of res.executions ?? []) {
        const id = transferIdFromWorkflowId(e.execution?.workflowId ?? '');
        const status = Number(e.status);
        if (status === RUNNING || status === CONTINUED_AS_NEW) open.add(id);
        else closed.add(id);
      }
      nextPageToken = res.nextPageToken?.length ? res.nextPageToken : undefined;
    } while (nextPageToken);
    return new Set([...closed].filter((id) => !open.has(id)));
  }

  private readinessCache: { at: number; answer: Promise<Readiness> } | undefined;

  /**
   * Whether Temporal answers and a worker polls this task queue: DescribeTaskQueue's pollers of the workflow task
   * queue, one of them seen within `workerSeenMs`. Temporal lists a poller for minutes after its worker died, with
   * the time of its last poll; a live idle worker polls again whenever the long poll expires (60 s by default,
   * 5 s on our dev server), so a last poll older than that (plus a margin) means the worker is gone. Cached for READINESS_CACHE_MS, so that load balancers
   * probing every second cost Temporal one call per few seconds per API process.
   */
  readiness(): Promise<Readiness> {
    const now = Date.now();
    if (this.readinessCache && now - this.readinessCache.at < READINESS_CACHE_MS)
      return this.readinessCache.answer;
    const answer = this.probeReadiness();
    this.readinessCache = { at: now, answer };
    return answer;
  }

  private async probeReadiness(): Promise<Readiness> {
    let pollers;
    try {
      const res = await this.client.connection.withDeadline(Date.now() + 2_000, () =>
        this.client.workflowService.describeTaskQueue({
          namespace: this.client.options.namespace,
          taskQueue: { name: this.taskQueue },
          taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
        }),
      );
      pollers = res.pollers ?? [];
    } catch (err) {
      return {
        temporal: false,
        worker: false,
        reason: `Temporal does not answer: ${(err as Error).message}`,
      };
    }
    const lastSeen = Math.max(0, ...pollers.map((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000));
    if (Date.now() - lastSeen < this.workerSeenMs) return { temporal: true, worker: true };
    return {
      temporal: true,
      worker: false,
      reason:
        pollers.length === 0
          ? `no worker polls task queue ${this.taskQueue}`
          : `no worker has polled task queue ${this.taskQueue} for ${Math.round((Date.now() - lastSeen) / 1000)} s`,
    };
  }
}

export interface Readiness {
  temporal: boolean;
  worker: boolean;
  /** why not ready */
  reason?: string;
}

/** How long one readiness answer is reused. */
export const READINESS_CACHE_MS = 3_000;

/** Map what Temporal threw to the problem the caller sees. */
export function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const f = err.cause;
    const details = (f.details?.[0] ?? {}) as { errors?: { pointer: string; detail: string }[] };
    if (isProblemKind(f.type)) return new HttpProblem(f.type, f.message, details.errors);
  }
  const notFound =
    err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && Number(err.code) === GRPC.NOT_FOUND);
  if (notFound) {
    // an update to a closed transfer, or one the transfer closed under (a racing refusal): it exists (reads still
    // answer), it just takes no more actions
    if (/already completed|aborted by closing workflow/.test((err as Error).message))
      return new HttpProblem('wrong-phase', 'the transfer is closed; it takes no more actions');
    return new HttpProblem('not-found', 'no such transfer');
  }
  if (isGrpcServiceError(err)) {
    if (Number(err.code) === GRPC.INVALID_ARGUMENT)
      return new HttpProblem(
        'validation',
        'the request was refused as invalid (e.g. a stale or foreign pageToken)',
      );
  }
  // the transfer's workflow task is failing and being retried (a lost worker, a deploy): refused for now
  if (isGrpcServiceError(err) && Number(err.code) === GRPC.FAILED_PRECONDITION)
    return new HttpProblem(
      'unavailable',
      'the transfer cannot take actions for a moment; retry with the same Idempotency-Key',
      undefined,
      5,
    );
  const e = err as { name?: string; code?: number; cause?: unknown };
  const unavailable =
    e.name === 'WorkflowUpdateRPCTimeoutOrCancelledError' ||
    e.name === 'ServiceError' ||
    e.name === 'ConnectionError' ||
    e.code === GRPC.DEADLINE_EXCEEDED ||
    e.code === GRPC.UNAVAILABLE;
  if (unavailable)
    return new HttpProblem(
      'unavailable',
      'the workflow service did not answer in time; retry with the same Idempotency-Key',
      undefined,
      5,
    );
  throw err;
}
