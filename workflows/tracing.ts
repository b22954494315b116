/**
 * The workflow side of tracing (tracing.ts), bundled with the workflows always: the interceptors of
 * `@temporalio/interceptors-opentelemetry`, applied to a run that was started with a trace context and to no other.
 *
 * Whether a run is traced is thereby decided by its history (the `_tracer-data` header of its start event), never by
 * the configuration of the worker replaying it. The package's interceptors add microtask turns around activity
 * results; on a run recorded without them (older code versions race an update's completion against the main loop's
 * next activity) that reorders commands, and turning tracing on would fail those runs with a nondeterminism error.
 * A run started untraced stays untraced to its end (and its continue-as-new successors, which carry no context);
 * a run started traced is traced by every worker, and a worker with tracing off only drops its spans (a no-op sink).
 *
 * Not a workflow: an interceptor module (`workflowInterceptorModules` / `interceptors.workflowModules`).
 */
import type {
  Next,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowInternalsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';

/** The header the package carries the span context in (its `TRACE_HEADER`). */
export const TRACE_HEADER = '_tracer-data';

type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;

/** Every interceptor method of a class of the package (those it implements, whatever its version adds). */
const methodsOf = (cls: { prototype: object }): string[] =>
  Object.getOwnPropertyNames(cls.prototype).filter(
    (name) =>
      name !== 'constructor' && typeof (cls.prototype as Record<string, unknown>)[name] === 'function',
  );

/**
 * Each method of `cls`: the package's (one instance per run, made when first needed) while the run is traced,
 * straight to `next` otherwise (synchronously: an untraced run runs exactly as it would without this module).
 */
function gated<T>(cls: { prototype: object; new (): object }, isTraced: () => boolean): T {
  let instance: Record<string, Method> | undefined;
  const methods = methodsOf(cls).map((name) => {
    const method: Method = (input, next) => {
      if (!isTraced()) return next(input);
      instance ??= new cls() as Record<string, Method>;
      return instance[name]!(input, next);
    };
    return [name, method] as const;
  });
  return Object.fromEntries(methods) as T;
}

export const interceptors = (): WorkflowInterceptors => {
  let traced = false;
  const isTraced = () => traced;
  const inbound = gated<WorkflowInboundCallsInterceptor>(OpenTelemetryInboundInterceptor, isTraced);
  const execute = inbound.execute!;
  // the run's start decides, before the workflow function runs (handlers are registered by it, so no update,
  // signal or query reaches the run earlier)
  inbound.execute = (input, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) => {
    traced = input.headers[TRACE_HEADER] !== undefined;
    return execute(input, next);
  };
  return {
    inbound: [inbound],
    outbound: [gated<WorkflowOutboundCallsInterceptor>(OpenTelemetryOutboundInterceptor, isTraced)],
    internals: [gated<WorkflowInternalsInterceptor>(OpenTelemetryInternalsInterceptor, isTraced)],
  };
};
