import { type Request, type Response } from 'express';

import { newTraceparent, parseTraceparent, formatTraceparent } from '@pitboss/observability';

import { type AggregatorCall } from '../api/bet-commands';
import { type CommandAnswer } from '../bets/idempotent-commands';
import { jsonBodyOf } from './json-request-body';

/**
 * The call as the transport-free commands take it. Trace context: `traceparent` when valid, else a trace
 * continuing the aggregator's `X-Trace-Id` (32 hex), else a new trace.
 */
export function aggregatorCallOf(request: Request, tenantId: string): AggregatorCall {
  return {
    tenantId,
    idempotencyKey: request.header('x-idempotency-key'),
    traceparent: traceparentOf(request.header('traceparent'), request.header('x-trace-id')),
    body: jsonBodyOf(request.header('content-type'), request.body),
  };
}

export function traceparentOf(traceparent: string | undefined, traceId: string | undefined): string {
  if (parseTraceparent(traceparent) !== undefined) return traceparent as string;
  if (traceId !== undefined && /^[0-9a-f]{32}$/i.test(traceId) && !/^0+$/.test(traceId)) {
    const fresh = parseTraceparent(newTraceparent());
    if (fresh !== undefined) return formatTraceparent({ ...fresh, traceId: traceId.toLowerCase() });
  }
  return newTraceparent();
}

/** Writes a command's answer: its stored status, body and headers, marking replays. */
export function send(response: Response, answer: CommandAnswer): void {
  for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
  if (answer.replayed) response.setHeader('Idempotent-Replayed', 'true');
  response.status(answer.status).json(answer.body);
}
