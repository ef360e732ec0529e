import { traceFields } from '@pitboss/observability';

type Level = 'log' | 'warn' | 'error';

export type SandboxLog = (level: Level, message: string, fields?: Record<string, unknown>) => void;

/**
 * One JSON object per line, like the services' logs, with their `trace_id` and `span_id` of the active span (the
 * HTTP server span of the request being answered), so a sandbox line leads to the bet's trace.
 */
export const sandboxLog: SandboxLog = (level, message, fields = {}) => {
  const line = JSON.stringify({
    level,
    timestamp: new Date().toISOString(),
    service: 'wallet-sandbox',
    ...traceFields(),
    message,
    ...fields,
  });
  if (level === 'log') process.stdout.write(`${line}\n`);
  else process.stderr.write(`${line}\n`);
};
