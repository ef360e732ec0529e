import { type ErrorHandler } from '@opentelemetry/core';

export interface ThrottledErrorHandlerOptions {
  readonly intervalMs: number;
  readonly write: (line: string) => void;
  readonly now?: () => number;
}

/**
 * OpenTelemetry's global error handler (an export that failed: the collector or Zipkin is down, …) as at most one
 * log line per interval, with how many errors it stands for. Tracing is best effort: it never fails a request and
 * never floods the logs of a service whose backend is away.
 */
export function throttledErrorHandler({
  intervalMs,
  write,
  now = Date.now,
}: ThrottledErrorHandlerOptions): ErrorHandler {
  let lastWrittenAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (error) => {
    const at = now();
    if (at - lastWrittenAt < intervalMs) {
      suppressed++;
      return;
    }
    const message =
      error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
    write(
      JSON.stringify({
        level: 'warn',
        timestamp: at,
        pid: process.pid,
        category: 'integration',
        context: 'Telemetry',
        message: `trace export failed: ${message}`,
        suppressed_since_last: suppressed,
      }),
    );
    lastWrittenAt = at;
    suppressed = 0;
  };
}
