import { activeTraceparent, traceIdOf } from '@pitboss/observability';

/** The trace id an audit entry records: the caller's `traceparent`, else the active span's, else none. */
export function traceIdOfRequest(traceparent: string | undefined): string | null {
  return traceIdOf(traceparent) ?? traceIdOf(activeTraceparent()) ?? null;
}
