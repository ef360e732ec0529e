import { randomUUID } from 'node:crypto';
import { type AddressInfo } from 'node:net';

import {
  BadRequestException,
  Body,
  Controller,
  type DynamicModule,
  Header,
  Inject,
  Injectable,
  type INestApplication,
  Module,
  Post,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Server } from 'node:http';
import { type Pool } from 'pg';

import { DATABASE_POOL } from '@pitboss/event-store';
import { createTestSchema, expectEventually, type TestSchema } from '@pitboss/testing';

import { idempotencyMigrations } from '../migrations/idempotency-migrations';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyModule } from './idempotency.module';
import { Idempotent } from './idempotent.decorator';

/** What the routes did, and a gate that holds the slow route until the test opens it. */
@Injectable()
class BetsProbe {
  calls = 0;
  slowStarted = false;
  openGate: () => void = () => undefined;
  readonly gate = new Promise<void>((resolve) => (this.openGate = resolve));
}

interface PlaceBet {
  readonly betId: string;
  readonly amount: { readonly minor_units: number; readonly currency: string };
}

@Controller('v1/bets')
class BetsController {
  constructor(@Inject(BetsProbe) private readonly probe: BetsProbe) {}

  @Post()
  @Idempotent('bets.place')
  @Header('Location', '/v1/bets/b-1')
  place(@Body() command: PlaceBet) {
    this.probe.calls += 1;
    return { betId: command.betId, balance: { minor_units: 9_500, currency: command.amount.currency } };
  }

  @Post('refused')
  @Idempotent('bets.refused')
  refuse() {
    this.probe.calls += 1;
    throw new BadRequestException({
      error: { code: 'BET_LIMIT_EXCEEDED', message: 'over the limit', retryable: false },
    });
  }

  @Post('broken')
  @Idempotent('bets.broken')
  broken() {
    this.probe.calls += 1;
    throw new Error('wallet offline');
  }

  @Post('slow')
  @Idempotent('bets.slow')
  async slow() {
    this.probe.slowStarted = true;
    await this.probe.gate;
    return { done: true };
  }
}

function poolModule(pool: Pool): DynamicModule {
  @Module({})
  class TestPoolModule {}
  return {
    module: TestPoolModule,
    providers: [{ provide: DATABASE_POOL, useValue: pool }],
    exports: [DATABASE_POOL],
  };
}

function appModule(pool: Pool) {
  @Module({
    imports: [IdempotencyModule.forRoot({ imports: [poolModule(pool)], store: { waitMs: 0 } })],
    controllers: [BetsController],
    providers: [BetsProbe],
  })
  class BetsTestModule {}
  return BetsTestModule;
}

const aCommand = (overrides: Partial<PlaceBet> = {}): PlaceBet => ({
  betId: 'b-1',
  amount: { minor_units: 500, currency: 'EUR' },
  ...overrides,
});

describe(IdempotencyInterceptor.name, () => {
  let db: TestSchema;
  let app: INestApplication;
  let baseUrl: string;
  let probe: BetsProbe;

  beforeEach(async () => {
    db = await createTestSchema(idempotencyMigrations, 'idem_http');
    app = await NestFactory.create(appModule(db.pool), { logger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    probe = app.get(BetsProbe);
  });

  afterEach(async () => {
    probe.openGate();
    await app.close();
    await db.drop();
  });

  function post(
    path: string,
    body: unknown,
    headers: Record<string, string> = { 'x-tenant-id': 'tenant-a', 'x-idempotency-key': randomUUID() },
  ) {
    return fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  }

  const headersFor = (key: string, tenant = 'tenant-a') => ({
    'x-tenant-id': tenant,
    'x-idempotency-key': key,
  });

  it('executes once and replays the response with Idempotent-Replayed, whatever the key order', async () => {
    const key = randomUUID();

    const first = await post('/v1/bets', aCommand(), headersFor(key));
    const replay = await post(
      '/v1/bets',
      { amount: { currency: 'EUR', minor_units: 500 }, betId: 'b-1' },
      headersFor(key),
    );

    expect(probe.calls).toBe(1);
    expect([first.status, replay.status]).toEqual([201, 201]);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('location')).toBe('/v1/bets/b-1');
    const expected = { betId: 'b-1', balance: { minor_units: 9_500, currency: 'EUR' } };
    expect(await first.json()).toEqual(expected);
    expect(await replay.json()).toEqual(expected);
  });

  it('refuses the same key with another payload with 422 IDEMPOTENCY_MISMATCH', async () => {
    const key = randomUUID();
    await post('/v1/bets', aCommand(), headersFor(key));

    const response = await post(
      '/v1/bets',
      aCommand({ amount: { minor_units: 5_000, currency: 'EUR' } }),
      headersFor(key),
    );

    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: { code: 'IDEMPOTENCY_MISMATCH', message: expect.any(String), retryable: false },
    });
    expect(probe.calls).toBe(1);
  });

  it('answers 409 IDEMPOTENCY_IN_PROGRESS with Retry-After while the first request runs', async () => {
    const key = randomUUID();
    const first = post('/v1/bets/slow', {}, headersFor(key));
    await expectEventually(() => expect(probe.slowStarted).toBe(true));

    const concurrent = await post('/v1/bets/slow', {}, headersFor(key));
    probe.openGate();

    expect(concurrent.status).toBe(409);
    expect(concurrent.headers.get('retry-after')).toBe('1');
    expect(await concurrent.json()).toEqual({
      error: { code: 'IDEMPOTENCY_IN_PROGRESS', message: expect.any(String), retryable: true },
    });
    expect((await first).status).toBe(201);
  });

  it.each([
    ['no key', { 'x-tenant-id': 'tenant-a' }, 'IDEMPOTENCY_KEY_MISSING'],
    ['an invalid key', headersFor('x'.repeat(256)), 'IDEMPOTENCY_KEY_INVALID'],
    ['no tenant', { 'x-idempotency-key': 'k-1' }, 'IDEMPOTENCY_TENANT_MISSING'],
  ])('answers 400 to a request with %s, without running the handler', async (_, headers, code) => {
    const response = await post('/v1/bets', aCommand(), headers);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code, message: expect.any(String), retryable: false } });
    expect(probe.calls).toBe(0);
  });

  it('stores a 4xx refusal and replays it', async () => {
    const key = randomUUID();

    const first = await post('/v1/bets/refused', {}, headersFor(key));
    const replay = await post('/v1/bets/refused', {}, headersFor(key));

    expect(probe.calls).toBe(1);
    expect([first.status, replay.status]).toEqual([400, 400]);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const refusal = { error: { code: 'BET_LIMIT_EXCEEDED', message: 'over the limit', retryable: false } };
    expect(await first.json()).toEqual(refusal);
    expect(await replay.json()).toEqual(refusal);
  });

  it('does not store a failure: the retry executes again', async () => {
    const key = randomUUID();

    const first = await post('/v1/bets/broken', {}, headersFor(key));
    const retry = await post('/v1/bets/broken', {}, headersFor(key));

    expect([first.status, retry.status]).toEqual([500, 500]);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(probe.calls).toBe(2);
  });

  it('keeps tenants apart', async () => {
    const key = randomUUID();

    await post('/v1/bets', aCommand(), headersFor(key, 'tenant-a'));
    const other = await post('/v1/bets', aCommand({ betId: 'b-2' }), headersFor(key, 'tenant-b'));

    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(probe.calls).toBe(2);
  });
});
