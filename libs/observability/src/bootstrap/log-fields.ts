import { isSpanContextValid, trace } from '@opentelemetry/api';
import { type LogLevel } from '@nestjs/common';

/** What a line is about: money moved or refused (`audit`), a call to or from a peer (`integration`), a fault. */
export type LogCategory = 'audit' | 'integration' | 'incident';

const CATEGORIES: ReadonlySet<string> = new Set<LogCategory>(['audit', 'integration', 'incident']);

/**
 * The category of a line: the one the caller named (`logger.log({ category: 'audit', message })`), else
 * `incident` for warnings and errors and `integration` for the rest (start-up, consumers joining, calls).
 */
export function categoryOf(level: LogLevel, named: unknown): LogCategory {
  if (typeof named === 'string' && CATEGORIES.has(named)) return named as LogCategory;
  return level === 'warn' || level === 'error' || level === 'fatal' ? 'incident' : 'integration';
}

/** `trace_id` and `span_id` of the active span, so a line leads to its trace in Zipkin or the collector. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan()?.spanContext();
  if (span === undefined || !isSpanContextValid(span)) return {};
  return { trace_id: span.traceId, span_id: span.spanId };
}

/**
 * Field paths pino replaces with "[redacted]" wherever a logged object carries them: secrets, signatures,
 * tokens and the headers that hold them. Free text is scrubbed of bearer tokens by `scrubText`.
 */
const SECRET_FIELDS = [
  'secret',
  'password',
  'token',
  'signature',
  'authorization',
  'access_token',
  'refresh_token',
];
const SECRET_HEADERS = ['authorization', '["x-signature"]', '["x-admin-token"]', 'cookie'];
// Nest hands objects over as the line's `message`, so each path is covered there and at the top level.
export const REDACTED_PATHS: readonly string[] = ['', 'message.'].flatMap((root) => [
  ...SECRET_FIELDS.flatMap((field) => [`${root}${field}`, `${root}*.${field}`]),
  ...SECRET_HEADERS.map((header) => `${root}headers${header.startsWith('[') ? header : `.${header}`}`),
]);

const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;

/** A message with bearer/basic credentials replaced, for text a caller built from a request or an error. */
export function scrubText(text: string): string {
  return text.replace(BEARER, '$1 [redacted]');
}
