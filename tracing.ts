/**
 * Tracing across processes (OpenTelemetry). On when OTEL_EXPORTER_OTLP_ENDPOINT is set (spans go out over OTLP/HTTP
 * to its `/v1/traces`; headers and timeout from the standard OTEL_EXPORTER_OTLP_* variables), off otherwise: then no
 * provider is registered, `http` is not patched, no client or activity interceptor is installed and the log mixin is
 * not set. (The workflow interceptor module is bundled either way and passes an untraced run's calls straight on.)
 *
 * One trace per request: the HTTP server span (@opentelemetry/instrumentation-http, named by the express route),
 * the Temporal client's span (StartWorkflowUpdate…, UpdateWithStartWorkflow…, QueryWorkflow…: Temporal's own
 * interceptors, @temporalio/interceptors-opentelemetry), carried in the Temporal headers to the worker — the
 * workflow's handling (ValidateUpdate…, HandleUpdate…, StartActivity…: the package's own workflow interceptors, for
 * runs started traced, see workflows/tracing.ts; their spans leave the sandbox through a sink) and each activity
 * (RunActivity…) — and the API's evidence write (evidence.recordStep).
 */
import * as otel from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { ClientInterceptors } from '@temporalio/client';
import type { InjectedSinks, WorkerOptions } from '@temporalio/worker';

// The SDK, the exporter, the instrumentation and the interceptors are loaded when tracing starts (a process with
// tracing off, a CLI importing the worker's helpers, never loads them).
/* eslint-disable @typescript-eslint/no-require-imports */
const load = () => ({
  ...(require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation')),
  ...(require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http')),
  ...(require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')),
  ...(require('@opentelemetry/resources') as typeof import('@opentelemetry/resources')),
  ...(require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base')),
  ...(require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node')),
  ...(require('@temporalio/interceptors-opentelemetry') as typeof import('@temporalio/interceptors-opentelemetry')),
});
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The workflow interceptor module, bundled with the workflows always (on or off): the package's interceptors for the
 * runs that were started traced, nothing for the others (workflows/tracing.ts says why).
 */
export const WORKFLOW_TRACING_MODULE = require.resolve('./workflows/tracing');

/** Off, the spans of runs started traced elsewhere (or earlier) are dropped here. */
const DROP_WORKFLOW_SPANS: InjectedSinks<OpenTelemetrySinks> = { exporter: { export: { fn: () => {} } } };

/** Requests that are not worth a trace (probes and scrapes). */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface Tracing {
  readonly enabled: boolean;
  /** for `new Client({ interceptors })`: the client's calls as spans, their context sent in Temporal headers */
  readonly clientInterceptors: ClientInterceptors;
  /**
   * for `Worker.create`: the workflow interceptor module and the sink for workflow spans (on or off), the activity
   * interceptors (on)
   */
  readonly workerOptions: Pick<WorkerOptions, 'interceptors' | 'sinks'>;
  /** flushes the spans still buffered, then unregisters everything (the process is untraced again) */
  shutdown(): Promise<void>;
}

export const TRACING_OFF: Tracing = Object.freeze({
  enabled: false,
  clientInterceptors: {},
  workerOptions: {
    interceptors: { workflowModules: [WORKFLOW_TRACING_MODULE] },
    sinks: DROP_WORKFLOW_SPANS,
  },
  shutdown: async () => {},
});

export interface TracingOptions {
  /** service.name of the spans this process exports */
  serviceName: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: spans are exported over OTLP/HTTP to it; unset and no `spanProcessor`: off */
  endpoint?: string;
  /** where the spans go instead of OTLP (tests: a SimpleSpanProcessor over an InMemorySpanExporter) */
  spanProcessor?: SpanProcessor;
}

let current: Tracing | undefined;

/**
 * Starts tracing for this process, once: a later call answers the tracing already running (`npm start` runs API and
 * worker in one process; they share one provider). Off (TRACING_OFF) without an endpoint or a span processor.
 */
export function startTracing(opts: TracingOptions): Tracing {
  if (current) return current;
  if (!opts.endpoint && !opts.spanProcessor) return TRACING_OFF;
  const {
    isWrapped,
    registerInstrumentations,
    HttpInstrumentation,
    OTLPTraceExporter,
    Resource,
    BatchSpanProcessor,
    NodeTracerProvider,
    OpenTelemetryActivityInboundInterceptor,
    OpenTelemetryActivityOutboundInterceptor,
    OpenTelemetryWorkflowClientInterceptor,
    makeWorkflowExporter,
  } = load();
  const resource = new Resource({ 'service.name': opts.serviceName });
  // the endpoint as configured (config.ts), with the signal's path as the OTLP spec appends it; headers and
  // timeouts from the standard OTEL_EXPORTER_OTLP_* variables (read by the exporter)
  const spanProcessor =
    opts.spanProcessor ??
    new BatchSpanProcessor(new OTLPTraceExporter({ url: `${opts.endpoint!.replace(/\/+$/, '')}/v1/traces` }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // global: the async-hooks context manager and the W3C traceparent/baggage propagators
  provider.register();
  const httpInstrumentation = new HttpInstrumentation({
    // the spans are the server's: the OTLP export and the Temporal connection are not requests of ours
    disableOutgoingRequestInstrumentation: true,
    ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]!),
    // express sets req.route and req.baseUrl on the request object: the span is named by its route
    applyCustomAttributesOnSpan: (span, request) => {
      const req = request as { method?: string; baseUrl?: string; route?: { path?: unknown } };
      if (typeof req.route?.path !== 'string') return;
      const route = `${req.baseUrl ?? ''}${req.route.path}`;
      span.setAttribute('http.route', route);
      span.updateName(`${req.method ?? 'GET'} ${route}`);
    },
  });
  const unregister = registerInstrumentations({
    instrumentations: [httpInstrumentation],
    tracerProvider: provider,
  });
  // Node's require hook patches `http` when it is next required (it was, by express): require it now. A loader
  // without that hook (jest's module registry) leaves it unpatched: the instrumentation's own patch, by hand.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const http = require('node:http') as typeof import('node:http');
  let unpatch = () => {};
  if (!isWrapped(Reflect.get(http.Server.prototype, 'emit'))) {
    const definition = httpInstrumentation.getModuleDefinitions().find((d) => d.name === 'http');
    definition?.patch?.(http);
    unpatch = () => definition?.unpatch?.(http);
  }
  const tracing: Tracing = {
    enabled: true,
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    workerOptions: {
      interceptors: {
        activity: [
          (ctx) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
            outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
        ],
        workflowModules: [WORKFLOW_TRACING_MODULE],
      },
      sinks: { exporter: makeWorkflowExporter(spanProcessor, resource) },
    },
    async shutdown() {
      if (current !== tracing) return;
      current = undefined;
      unpatch();
      unregister();
      // spans the collector does not take now are lost; the process stops all the same
      await provider.shutdown().catch(() => {});
      otel.trace.disable();
      otel.context.disable();
      otel.propagation.disable();
    },
  };
  current = tracing;
  return tracing;
}

/** A span around `fn` (sync or async), ended when it settles; an error is recorded on it. No-op when off. */
export function traced<T>(name: string, fn: () => T, attributes?: otel.Attributes): T {
  return otel.trace.getTracer('xborder').startActiveSpan(name, { attributes }, (span) => {
    const fail = (err: unknown) => {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: otel.SpanStatusCode.ERROR });
      span.end();
      throw err;
    };
    try {
      const out = fn();
      if (out instanceof Promise)
        return out.then((v: unknown) => {
          span.end();
          return v;
        }, fail) as T;
      span.end();
      return out;
    } catch (err) {
      return fail(err);
    }
  });
}

/**
 * pino's `mixin`: the active span's ids on every log line written inside a traced request or activity
 * (`trace_id`, `span_id`, the names the Temporal SDK's own log attributes use). Nothing when tracing is off.
 */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const context = otel.trace.getActiveSpan()?.spanContext();
  if (!context || !otel.isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId };
}
