/**
 * Tracing across API, Temporal and worker (tracing.ts): one HTTP decision is one trace, from the HTTP server span
 * through the client's update, the workflow's handling, the activity it runs and the API's evidence write, each
 * span a child of the one that caused it; the log lines of that request carry its trace id. The stack runs API and
 * worker in this process, so one tracer provider (over an in-memory exporter) sees both sides; the context still
 * crosses Temporal only in the update's and the activity's headers, as it does between processes.
 *
 * Turning tracing on (or off again) on a running deployment must not break a transfer: a run is traced by the
 * workflow interceptors only when it was started traced (workflows/tracing.ts). The recorded untraced histories
 * replay against the bundle that holds that module in test/workflow/replay.test.ts (the run's one bundle).
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import pino from 'pino';
import { dataConverterFor } from '../../activities/crypto';
import { TransferGateway } from '../../api/temporal';
import { activePolicy } from '../../domain/policy';
import { startTracing, traceLogFields, TRACING_OFF, type Tracing } from '../../tracing';
import { TRACE_HEADER } from '../../workflows/tracing';
import { Driver, rita } from '../drive';
import {
  applicant,
  eventually,
  sampleApplication,
  settled,
  standardContractKinds,
  startStack,
  uploadMaterials,
  type Stack,
} from '../helpers';

const exporter = new InMemorySpanExporter();
const logLines: Record<string, unknown>[] = [];
let tracing: Tracing;
let stack: Stack;

beforeAll(async () => {
  tracing = startTracing({ serviceName: 'xborder-test', spanProcessor: new SimpleSpanProcessor(exporter) });
  const logs = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  stack = await startStack({
    tracing,
    logger: pino({ level: 'info', mixin: traceLogFields }, logs),
  });
});

afterAll(async () => {
  await stack?.stop();
  await tracing?.shutdown();
});

const spanId = (s: ReadableSpan) => s.spanContext().spanId;
const traceId = (s: ReadableSpan) => s.spanContext().traceId;

describe('one HTTP decision is one trace', () => {
  test('HTTP server span → client update → workflow update handler → activity, and the evidence write', async () => {
    const driver = new Driver(stack);
    const id = await driver.reach('risk_assessment');
    await settled(stack, id);
    exporter.reset();
    logLines.length = 0;

    // the approval renders the agreement: an activity run by the update's handler
    const view = await driver.post(`/v1/transfers/${id}/risk-decision`, rita, { decision: 'approve' });
    expect(view.status).toBe('awaiting_signature');

    const byName = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
    const spans = await eventually<ReadableSpan[]>(() => {
      const all = exporter.getFinishedSpans();
      const server = all.find((s) => s.name === 'POST /v1/transfers/:id/risk-decision');
      if (!server) return Promise.resolve(false);
      const trace = all.filter((s) => traceId(s) === traceId(server));
      const wanted = ['HandleUpdate:risk_decision', 'RunActivity:renderAgreement', 'evidence.recordStep'];
      return Promise.resolve(wanted.every((n) => byName(trace, n).length > 0) && trace);
    });

    const one = (name: string) => {
      const found = byName(spans, name);
      expect(found.map((s) => s.name)).toEqual([name]);
      return found[0]!;
    };
    const server = one('POST /v1/transfers/:id/risk-decision');
    const update = one('StartWorkflowUpdate:risk_decision');
    const validate = one('ValidateUpdate:risk_decision');
    const handle = one('HandleUpdate:risk_decision');
    const schedule = one('StartActivity:renderAgreement');
    const activity = one('RunActivity:renderAgreement');
    const evidence = one('evidence.recordStep');

    // the request is the root: nothing upstream sent a traceparent
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.parentSpanId).toBeUndefined();
    expect(server.attributes['http.route']).toBe('/v1/transfers/:id/risk-decision');
    expect(server.attributes['http.status_code']).toBe(200);
    // each span is the child of the one that caused it, across the Temporal headers
    expect(update.parentSpanId).toBe(spanId(server));
    expect(validate.parentSpanId).toBe(spanId(update));
    expect(handle.parentSpanId).toBe(spanId(update));
    expect(schedule.parentSpanId).toBe(spanId(handle));
    expect(activity.parentSpanId).toBe(spanId(schedule));
    expect(evidence.parentSpanId).toBe(spanId(server));
    expect(handle.attributes.workflowId).toBe(`transfer-${id}`);
    expect(activity.attributes.temporalWorkflowId).toBe(`transfer-${id}`);
    expect(update.attributes.temporalWorkflowId).toBe(`transfer-${id}`);
    expect(evidence.attributes['xborder.transfer_id']).toBe(id);
    // the state the action checked first (the gateway's query and describe) is in the same trace
    expect(byName(spans, 'QueryWorkflow:state').map((s) => s.parentSpanId)).toEqual([spanId(server)]);
    // every span of the trace hangs off another of the trace (no orphan, one root)
    const ids = new Set(spans.map(spanId));
    expect(spans.filter((s) => s.parentSpanId === undefined)).toEqual([server]);
    expect(spans.filter((s) => s.parentSpanId !== undefined && !ids.has(s.parentSpanId))).toEqual([]);
    // and the request's log line carries the trace
    const request = logLines.find(
      (l) => (l.req as { url?: string } | undefined)?.url === `/v1/transfers/${id}/risk-decision`,
    );
    expect(request).toMatchObject({ msg: 'request completed', trace_id: traceId(server) });
  });

  test('probes are not traced', async () => {
    exporter.reset();
    expect((await stack.call('GET', '/healthz')).status).toBe(200);
    expect((await stack.call('GET', '/readyz')).status).toBe(200);
    expect(exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER)).toEqual([]);
  });
});

describe('whether a run is traced is decided by its start (workflows/tracing.ts)', () => {
  test('a run started untraced stays untraced on a traced worker: the request and the client call are traced, the workflow adds nothing', async () => {
    // started through a client without the interceptors (as before tracing was turned on)
    const untraced = new Client({
      connection: stack.client.connection,
      namespace: 'default',
      dataConverter: dataConverterFor(stack.keyRing),
    });
    const materials = await uploadMaterials(stack, await stack.token(applicant), standardContractKinds);
    const id = randomUUID();
    await new TransferGateway(untraced, stack.taskQueue, 15_000).create(
      {
        id,
        application: sampleApplication({ materials: materials as never }),
        createdBy: applicant,
        policyId: activePolicy.id,
        policyVersion: activePolicy.version,
        submit: true,
      },
      randomUUID(),
    );
    await settled(stack, id);
    exporter.reset();

    const view = await new Driver(stack).post(`/v1/transfers/${id}/completeness`, rita, {
      decision: 'accept',
    });
    expect(view.status).toBe('under_review');
    const spans = await eventually<ReadableSpan[]>(() => {
      const all = exporter.getFinishedSpans();
      return Promise.resolve(all.some((s) => s.name === 'POST /v1/transfers/:id/completeness') && all);
    });
    const names = spans.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['POST /v1/transfers/:id/completeness', 'StartWorkflowUpdate:completeness']),
    );
    await settled(stack, id);
    const workflowSpans = exporter
      .getFinishedSpans()
      .filter((s) => /^(HandleUpdate|ValidateUpdate|HandleQuery|StartActivity|RunWorkflow):/.test(s.name));
    expect(workflowSpans.map((s) => s.name)).toEqual([]);
  });

  test('a run started traced replays on a worker with tracing off and on one with tracing on', async () => {
    const id = await new Driver(stack).reach('awaiting_signature');
    await settled(stack, id);
    const { events } = await stack.client.workflow.getHandle(`transfer-${id}`).fetchHistory();
    // the context travelled in the start event's headers: this run is traced
    const started = events?.[0]?.workflowExecutionStartedEventAttributes;
    expect(Object.keys(started?.header?.fields ?? {})).toContain(TRACE_HEADER);
    // on a worker with tracing off (its sink drops the spans) and on one with tracing on
    for (const sinks of [TRACING_OFF.workerOptions.sinks, tracing.workerOptions.sinks]) {
      await expect(
        Worker.runReplayHistory(
          {
            workflowBundle: { codePath: process.env.XB_TEST_WORKFLOW_BUNDLE! },
            dataConverter: dataConverterFor(stack.keyRing),
            sinks,
          },
          { events },
          id,
        ),
      ).resolves.toBeUndefined();
    }
  });
});
