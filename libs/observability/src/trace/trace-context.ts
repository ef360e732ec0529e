import { context, isSpanContextValid, trace } from '@opentelemetry/api';

import { formatTraceparent, parseTraceparent } from './traceparent';

/**
 * The `traceparent` of the active span, or undefined when there is none. Without an OpenTelemetry SDK registered
 * the API's context is always empty, so callers fall back to the incoming header or `newTraceparent()`.
 */
export function currentTraceparent(): string | undefined {
  const spanContext = trace.getSpanContext(context.active());
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
  return formatTraceparent({
    traceId: spanContext.traceId,
    spanId: spanContext.spanId,
    flags: spanContext.traceFlags,
  });
}

/** The trace id an event envelope records (`trace_id`), or undefined for a missing or invalid header. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return parseTraceparent(traceparent)?.traceId;
}
