import {
  type Attributes,
  context,
  type Context,
  isSpanContextValid,
  type Link,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

import { formatTraceparent } from '../trace/traceparent';

const TRACER_NAME = '@pitboss/observability';
// Used directly rather than through the global propagator, so a stored `traceparent` reads the same whether or
// not the SDK runs (tests in one jest process, OTEL_SDK_DISABLED).
const w3c = new W3CTraceContextPropagator();
const getter = {
  // eslint-disable-next-line security/detect-object-injection -- OpenTelemetry's propagator reads the header names it defines (traceparent, tracestate)
  get: (carrier: Record<string, string>, key: string) => carrier[key],
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
};

/** The active span as a `traceparent` header, or undefined when no valid span is active. */
export function activeTraceparent(active: Context = context.active()): string | undefined {
  const span = trace.getSpanContext(active);
  if (span === undefined || !isSpanContextValid(span)) return undefined;
  return formatTraceparent({ traceId: span.traceId, spanId: span.spanId, flags: span.traceFlags });
}

/** A context whose (remote) parent is the given `traceparent`; the root context when it is missing or invalid. */
export function contextOfTraceparent(traceparent: string | null | undefined): Context {
  if (traceparent === null || traceparent === undefined) return ROOT_CONTEXT;
  return w3c.extract(ROOT_CONTEXT, { traceparent }, getter);
}

export interface SpanOptions {
  readonly kind?: SpanKind;
  /** The parent: a stored or received `traceparent`; left out, the active context's span. */
  readonly parent?: string | null;
  readonly attributes?: Attributes;
  readonly links?: readonly Link[];
}

/**
 * Runs `work` inside a new active span, ended when it settles; a throw marks the span as an error and is rethrown.
 * Without the SDK the span is a no-op that still carries the parent, so stored trace ids stay the same.
 */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent === undefined ? context.active() : contextOfTraceparent(options.parent);
  return trace.getTracer(TRACER_NAME).startActiveSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      attributes: options.attributes,
      links: options.links?.slice(),
    },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        failSpan(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Starts a span that the caller ends (e.g. one per message of a batch, ended when the batch is acknowledged). */
export function startSpan(name: string, options: SpanOptions): Span {
  const parent = options.parent === undefined ? context.active() : contextOfTraceparent(options.parent);
  return trace.getTracer(TRACER_NAME).startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      attributes: options.attributes,
      links: options.links?.slice(),
    },
    parent,
  );
}

/** Runs `work` with `span` (from `startSpan`, ended by its caller) as the active span. */
export function withActiveSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}

/** The span's own `traceparent`, to hand on in a header. */
export function traceparentOfSpan(span: Span): string | undefined {
  return activeTraceparent(trace.setSpan(ROOT_CONTEXT, span));
}

export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

export { SpanKind };
