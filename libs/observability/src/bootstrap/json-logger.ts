import { ConsoleLogger, type LogLevel } from '@nestjs/common';

import { ConfigError } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

interface JsonLogOptions {
  context: string;
  logLevel: LogLevel;
  writeStreamType?: 'stdout' | 'stderr';
  errorStack?: unknown;
}

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

/** One JSON object per line carrying the service's name, so log pipelines need no parsing rule per service. */
export class ServiceJsonLogger extends ConsoleLogger {
  constructor(
    private readonly serviceName: string,
    env: Env = process.env,
  ) {
    super({ json: true, logLevels: logLevelsFrom(env) });
  }

  protected override getJsonLogObject(message: unknown, options: JsonLogOptions) {
    return { ...super.getJsonLogObject(message, options), service: this.serviceName };
  }
}
