import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { type Redis } from 'ioredis';

import { ReadinessRegistry, redisCheck } from '@pitboss/observability';
import { infrastructureConfig } from '@pitboss/platform-config';

import { createRedisClient, type RedisClientOptions } from './redis-client.factory';
import { REDIS_CLIENT } from './redis-client.token';

export type RedisModuleOptions = Partial<RedisClientOptions>;

const SHUTDOWN_STEP_TIMEOUT_MS = 2_000;

/**
 * The service's Redis client under `REDIS_CLIENT` (global), with a `redis` readiness check. Needs
 * `ObservabilityModule` in the same app.
 */
@Module({})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisModule.name);
  private lastConnectionError: Error | undefined;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {}

  /** `url` defaults to `REDIS_URL` (see `infrastructureConfig`). */
  static forRoot(options: RedisModuleOptions = {}): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        {
          provide: REDIS_CLIENT,
          useFactory: () =>
            createRedisClient({ ...options, url: options.url ?? infrastructureConfig().redisUrl }),
        },
      ],
      exports: [REDIS_CLIENT],
    };
  }

  onModuleInit(): void {
    this.watchConnection();
    const ping = redisCheck(this.redis);
    this.readiness.register('redis', async () => {
      try {
        await ping();
      } catch (error) {
        // A PING on a dead connection fails with ioredis's retry-limit message; the cause is in the socket error.
        const cause = this.lastConnectionError;
        if (cause === undefined || !(error instanceof Error)) throw error;
        throw new Error(`${error.message} (last connection error: ${cause.message || cause.name})`, {
          cause,
        });
      }
    });
  }

  // Quit last (onApplicationShutdown), after other modules' destroy hooks have finished the work that uses Redis.
  async onApplicationShutdown(): Promise<void> {
    if (statusOf(this.redis) === 'end') return;
    const ended = new Promise<void>((resolve) => this.redis.once('end', () => resolve()));
    // QUIT lets commands already sent finish; on a dead connection it fails or hangs, hence the bound.
    await boundedWait(
      this.redis.quit().then(
        () => undefined,
        () => undefined,
      ),
    );
    if (statusOf(this.redis) === 'end') return;
    // While 'reconnecting' no socket is open, only a retry timer, which disconnect() clears; 'end' never comes then.
    const socketOpen = statusOf(this.redis) !== 'reconnecting';
    this.redis.disconnect();
    if (socketOpen) await boundedWait(ended);
  }

  // ioredis emits 'error' on every failed reconnection: without a listener each one is printed as unhandled, and
  // logging them all would flood the log during an outage, so only the changes of state are logged.
  private watchConnection(): void {
    let healthy = true;
    this.redis.on('error', (error: Error) => {
      this.lastConnectionError = error;
      if (!healthy) return;
      healthy = false;
      this.logger.warn(`Redis connection failed: ${error.message || error.name}; reconnecting`);
    });
    this.redis.on('ready', () => {
      this.lastConnectionError = undefined;
      if (!healthy) this.logger.log('Redis connection restored');
      healthy = true;
    });
  }
}

async function boundedWait(work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_STEP_TIMEOUT_MS)));
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// A call, not a property read, so TypeScript does not carry a narrowed status across the awaits above.
function statusOf(redis: Redis): Redis['status'] {
  return redis.status;
}
