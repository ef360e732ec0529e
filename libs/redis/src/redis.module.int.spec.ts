import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

import {
  Controller,
  type DynamicModule,
  Get,
  Inject,
  type INestApplication,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
  Param,
} from '@nestjs/common';
import { type Redis } from 'ioredis';
import { Pool } from 'pg';

import {
  bootstrapService,
  listeningUrl,
  ObservabilityModule,
  postgresCheck,
  ReadinessRegistry,
  type ReadinessReport,
} from '@pitboss/observability';
import { infrastructureConfig } from '@pitboss/platform-config';

import { REDIS_CLIENT } from './redis-client.token';
import { RedisModule } from './redis.module';

const SERVICE_NAME = 'redis-module-int';

/** Stands in for a service's database module: owns a pool and registers its check. */
@Module({})
class PostgresProbeModule implements OnModuleInit, OnApplicationShutdown {
  private readonly pool = new Pool({ connectionString: infrastructureConfig().databaseUrl, max: 2 });

  constructor(@Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry) {}

  onModuleInit(): void {
    this.readiness.register('postgres', postgresCheck(this.pool));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

@Controller('items')
class ItemsController {
  @Get(':id')
  item(@Param('id') id: string): { id: string } {
    return { id };
  }
}

@Module({})
class TestAppModule {
  static with(redisUrl?: string): DynamicModule {
    return {
      module: TestAppModule,
      controllers: [ItemsController],
      imports: [
        ObservabilityModule.forRoot({ serviceName: SERVICE_NAME }),
        RedisModule.forRoot(redisUrl === undefined ? {} : { url: redisUrl }),
        PostgresProbeModule,
      ],
    };
  }
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The value of the sample `name{labels}` in Prometheus text, whatever order the labels are printed in. */
function sampleValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>>,
): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name || match[2] === undefined || match[3] === undefined) continue;
    const printed = Object.fromEntries(
      [...match[2].matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]),
    );
    const wanted = Object.entries(labels);
    if (
      Object.keys(printed).length === wanted.length &&
      wanted.every(([key, value]) => printed[key] === value)
    ) {
      return Number(match[3]);
    }
  }
  return undefined;
}

async function startApp(redisUrl?: string): Promise<{ app: INestApplication; baseUrl: string }> {
  // bootstrapService reads its address from the environment, as in production; port 0 lets suites run in parallel.
  process.env['PORT'] = '0';
  process.env['HOST'] = '127.0.0.1';
  const app = await bootstrapService(TestAppModule.with(redisUrl), {
    serviceName: SERVICE_NAME,
    defaultPort: 0,
  });
  return { app, baseUrl: await listeningUrl(app) };
}

describe(RedisModule.name, () => {
  describe('with every dependency up', () => {
    let app: INestApplication;
    let baseUrl: string;

    beforeAll(async () => {
      ({ app, baseUrl } = await startApp());
    });

    afterAll(async () => {
      await app.close();
    });

    it('is live', async () => {
      const response = await fetch(`${baseUrl}/health/live`);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'live' });
    });

    it('is ready with Redis and Postgres up', async () => {
      const response = await fetch(`${baseUrl}/health/ready`);
      const body = (await response.json()) as ReadinessReport;

      expect(response.status).toBe(200);
      expect(body).toEqual({
        status: 'ready',
        checks: {
          redis: { status: 'up', latency_ms: expect.any(Number) },
          postgres: { status: 'up', latency_ms: expect.any(Number) },
        },
      });
    });

    it('serves Prometheus metrics labelled with the service', async () => {
      await fetch(`${baseUrl}/health/ready`);
      await fetch(`${baseUrl}/no-such-route`);
      await fetch(`${baseUrl}/items/42`);
      await fetch(`${baseUrl}/items/43`);

      const response = await fetch(`${baseUrl}/metrics`);
      const text = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
      const service = SERVICE_NAME;
      expect(sampleValue(text, 'process_cpu_user_seconds_total', { service })).toEqual(expect.any(Number));
      expect(sampleValue(text, 'readiness_check_up', { check: 'redis', service })).toBe(1);
      expect(sampleValue(text, 'readiness_check_up', { check: 'postgres', service })).toBe(1);
      expect(
        sampleValue(text, 'http_server_request_duration_seconds_count', {
          method: 'GET',
          route: 'unmatched',
          status_code: '404',
          service,
        }),
      ).toBe(1);
      expect(
        sampleValue(text, 'http_server_request_duration_seconds_count', {
          method: 'GET',
          route: '/items/:id',
          status_code: '200',
          service,
        }),
      ).toBe(2);
      expect(text).not.toContain('route="/health/ready"');
    });

    it('provides a working client', async () => {
      const redis = app.get<Redis>(REDIS_CLIENT);
      const key = `redis-module-int:${process.pid}:${Date.now()}`;

      await redis.set(key, 'v', 'EX', 10);

      expect(await redis.get(key)).toBe('v');
    });
  });

  describe('with Redis unreachable', () => {
    let app: INestApplication;
    let baseUrl: string;

    beforeAll(async () => {
      ({ app, baseUrl } = await startApp(`redis://127.0.0.1:${await unusedPort()}`));
    });

    afterAll(async () => {
      await app.close();
    });

    it('stays live', async () => {
      expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    });

    it('is not ready, naming Redis', async () => {
      const response = await fetch(`${baseUrl}/health/ready`);
      const body = (await response.json()) as ReadinessReport;

      expect(response.status).toBe(503);
      expect(body.status).toBe('not_ready');
      expect(body.checks['redis']).toMatchObject({
        status: 'down',
        error: expect.stringContaining('ECONNREFUSED'),
      });
      expect(body.checks['postgres']?.status).toBe('up');
    });

    it('fails commands fast instead of queueing them', async () => {
      const redis = app.get<Redis>(REDIS_CLIENT);
      const startedAt = Date.now();

      await expect(redis.get('anything')).rejects.toThrow();
      expect(Date.now() - startedAt).toBeLessThan(1_500);
    });
  });

  it('quits its client when the app closes', async () => {
    const { app } = await startApp();
    const redis = app.get<Redis>(REDIS_CLIENT);

    await app.close();

    expect(redis.status).toBe('end');
  });

  it('closes promptly even when Redis is unreachable, refusing commands afterwards', async () => {
    const { app } = await startApp(`redis://127.0.0.1:${await unusedPort()}`);
    const redis = app.get<Redis>(REDIS_CLIENT);
    const startedAt = Date.now();

    await app.close();

    expect(Date.now() - startedAt).toBeLessThan(3_000);
    await expect(redis.get('anything')).rejects.toThrow();
  });
});
