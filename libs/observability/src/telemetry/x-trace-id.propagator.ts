import { randomBytes } from 'node:crypto';

import {
  type Context,
  isSpanContextValid,
  type TextMapGetter,
  type TextMapPropagator,
  trace,
  TraceFlags,
} from '@opentelemetry/api';

const TRACE_ID = /^[0-9a-f]{32}$/;
const ALL_ZEROS = /^0+$/;
const HEADER = 'x-trace-id';

/**
 * The gateway's documented fallback (docs/aggregator-guide.md): an aggregator without W3C Trace Context may send
 * `X-Trace-Id` (32 hex) and the bet's trace continues that id. Runs after the W3C propagator and only when it found
 * no `traceparent`; the remote parent gets a fresh span id (the aggregator named no span). Never injects.
 */
export class XTraceIdPropagator implements TextMapPropagator {
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const existing = trace.getSpanContext(context);
    if (existing !== undefined && isSpanContextValid(existing)) return context;
    const raw = getter.get(carrier, HEADER);
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toLowerCase();
    if (value === undefined || !TRACE_ID.test(value) || ALL_ZEROS.test(value)) return context;
    return trace.setSpanContext(context, {
      traceId: value,
      spanId: randomSpanId(),
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
  }

  inject(): void {
    // Outgoing calls carry `traceparent`; this header is only ever read.
  }

  fields(): string[] {
    return [];
  }
}

function randomSpanId(): string {
  for (;;) {
    const hex = randomBytes(8).toString('hex');
    if (!ALL_ZEROS.test(hex)) return hex;
  }
}
