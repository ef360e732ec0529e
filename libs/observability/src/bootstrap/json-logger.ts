import { type LoggerService, type LogLevel } from '@nestjs/common';
import { type DestinationStream, type Logger, pino } from 'pino';

import { ConfigError } from '@pitboss/platform-config';

import { categoryOf, REDACTED_PATHS, scrubText, traceFields } from './log-fields';

type Env = Readonly<Record<string, string | undefined>>;

// Nest's levels from the most to the least verbose; LOG_LEVEL names the quietest one still printed.
const LEVELS: readonly LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/** The levels printed for `LOG_LEVEL` (default `log`): that level and every more severe one. */
export function logLevelsFrom(env: Env = process.env): LogLevel[] {
  const raw = env['LOG_LEVEL'];
  const wanted = raw === undefined || raw === '' ? 'log' : raw;
  const index = LEVELS.findIndex((level) => level === wanted);
  if (index < 0) throw new ConfigError(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${wanted}"`);
  return LEVELS.slice(index);
}

// Nest's level names as pino levels, so every line says `"level":"log"` as the Nest JSON logger did before.
const PINO_LEVELS = Object.fromEntries(LEVELS.map((level, index) => [level, (index + 1) * 10])) as Record<
  LogLevel,
  number
>;

/**
 * One JSON object per line on stdout, `{level, timestamp, pid, service, context, message, stack?}`, written by
 * pino synchronously: a line logged just before a SIGTERM or SIGKILL is on stdout already (tests and tools read
 * "listening on …" and similar lines from it). `message` stays the key of the text, as in Nest's JSON mode.
 */
export class ServiceJsonLogger implements LoggerService {
  private readonly pino: Logger<LogLevel, true>;
  private enabled: ReadonlySet<LogLevel>;

  constructor(
    serviceName: string,
    env: Env = process.env,
    destination: DestinationStream = pino.destination({ dest: 1, sync: true }),
  ) {
    this.enabled = new Set(logLevelsFrom(env));
    this.pino = pino<LogLevel, true>(
      {
        customLevels: PINO_LEVELS,
        useOnlyCustomLevels: true,
        level: 'verbose', // `enabled` filters, so setLogLevels can take any set of levels as Nest allows
        messageKey: 'message',
        base: { pid: process.pid, service: serviceName },
        timestamp: () => `,"timestamp":${Date.now()}`,
        formatters: { level: (label) => ({ level: label }) },
        // Every line carries the active span's ids (none outside a request, message or step).
        mixin: traceFields,
        redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      },
      destination,
    );
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('log', [message, ...optionalParams]);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', [message, ...optionalParams]);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', [message, ...optionalParams]);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', [message, ...optionalParams]);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('verbose', [message, ...optionalParams]);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', [message, ...optionalParams]);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.enabled = new Set(levels);
  }

  private write(level: LogLevel, args: unknown[]): void {
    if (!this.enabled.has(level)) return;
    const { messages, context, stack } = level === 'error' ? withStack(args) : withContext(args);
    for (const message of messages) {
      const fields = fieldsOf(message);
      // eslint-disable-next-line security/detect-object-injection -- level is a LogLevel, a method of pino by type
      this.pino[level]({
        category: categoryOf(level, (fields['message'] as { category?: unknown } | null)?.category),
        ...(context === undefined ? {} : { context }),
        ...(stack ? { stack: scrubText(stack) } : {}),
        ...fields,
      });
    }
  }
}

// A string or Error is the message (bearer credentials scrubbed); an object stays the `message`, as before.
function fieldsOf(message: unknown): Record<string, unknown> {
  if (message instanceof Error)
    return { message: scrubText(message.message), stack: message.stack && scrubText(message.stack) };
  if (typeof message === 'string') return { message: scrubText(message) };
  return { message };
}

interface NestArgs {
  readonly messages: readonly unknown[];
  readonly context?: string;
  readonly stack?: string;
}

// The argument conventions of Nest's ConsoleLogger, which Nest's `Logger` relies on: it appends its context as
// the last string argument, and `error(message, stack)` passes a stack trace before it.
function withContext(args: readonly unknown[]): NestArgs {
  const last = args.at(-1);
  if (args.length <= 1 || typeof last !== 'string') return { messages: args };
  return { messages: args.slice(0, -1), context: last };
}

function withStack(args: readonly unknown[]): NestArgs {
  if (args.length === 2 && isStackTrace(args[1])) return { messages: [args[0]], stack: args[1] };
  if (args.length === 2) return withContext(args);
  const { messages, context } = withContext(args);
  const last = messages.at(-1);
  if (messages.length <= 1 || (typeof last !== 'string' && last !== undefined)) return { messages, context };
  return { messages: messages.slice(0, -1), context, stack: last };
}

function isStackTrace(value: unknown): value is string {
  return typeof value === 'string' && /^(.)+\n\s+at .+:\d+:\d+/.test(value);
}
