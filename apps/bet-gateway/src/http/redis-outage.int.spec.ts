import { randomUUID } from 'node:crypto';

import {
  authorizeBody,
  expectEventually,
  type MoneyFleet,
  openTestPlayer,
  type RedisServerProcess,
  startMoneyFleet,
  startRedisServer,
} from '@pitboss/testing';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });
const errorCodeOf = (response: { body: any }) => response.body?.error?.code as string | undefined;

/**
 * The rate limiter's Redis goes away (a Redis of this test's own, SIGKILLed, so the shared stack's stays up):
 * settle, rollback and reads only finish work already accepted and keep working; new bets and sessions are
 * refused with a retryable code, never a 500; everything is back once Redis is.
 */
describe('bet-gateway while its rate limiter store is down', () => {
  let redis: RedisServerProcess;
  let fleet: MoneyFleet;

  beforeAll(async () => {
    redis = await startRedisServer();
    fleet = await startMoneyFleet({
      label: 'redisout',
      settleWorker: false,
      gatewayEnv: { REDIS_URL: redis.url },
    });
  });

  afterAll(async () => {
    await fleet?.stop();
    await redis?.kill();
  });

  async function authorizedBet() {
    const body = authorizeBody(await openTestPlayer(fleet));
    expect((await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() })).status).toBe(200);
    return body;
  }

  async function metric(name: string, labels: string): Promise<number> {
    const text = await (await fetch(`${fleet.gateway.url}/metrics`)).text();
    const line = text.split('\n').find((row) => row.startsWith(`${name}{`) && row.includes(labels));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  }

  it('settles, rolls back and reads without it, refuses new work with SERVICE_UNAVAILABLE, recovers', async () => {
    const toSettle = await authorizedBet();
    const toRollBack = await authorizedBet();

    await redis.kill();

    const settle = await fleet.http.post(
      '/v1/bets/settle',
      { bet_id: toSettle.bet_id, round_id: toSettle.round_id, win: eur(100) },
      { key: randomUUID() },
    );
    const rollback = await fleet.http.post(
      '/v1/bets/rollback',
      { bet_id: toRollBack.bet_id, reason: 'game crashed' },
      { key: randomUUID() },
    );
    const read = await fleet.http.get(`/v1/bets/${toSettle.bet_id}`);
    const newBet = await fleet.http.post(
      '/v1/bets/authorize',
      { ...toSettle, bet_id: `b-${randomUUID()}` },
      { key: randomUUID() },
    );
    const newSession = await fleet.http.post(
      '/v1/sessions',
      { player_id: toSettle.player_id, game_id: 'starburst', currency: 'EUR' },
      { key: randomUUID() },
    );

    expect([settle.status, rollback.status, read.status, read.body.status]).toEqual([
      202,
      202,
      200,
      'pending_credit',
    ]);
    for (const refused of [newBet, newSession]) {
      expect([refused.status, errorCodeOf(refused), refused.body.error.retryable]).toEqual([
        503,
        'SERVICE_UNAVAILABLE',
        true,
      ]);
      expect(refused.headers.get('retry-after')).toBe('1');
    }
    expect(await metric('rate_limiter_unavailable_total', 'decision="allowed"')).toBeGreaterThanOrEqual(3);
    expect(await metric('rate_limiter_unavailable_total', 'decision="refused"')).toBeGreaterThanOrEqual(2);

    await redis.restart();
    await expectEventually(
      async () => {
        const retried = await fleet.http.post(
          '/v1/sessions',
          { player_id: toSettle.player_id, game_id: 'starburst', currency: 'EUR' },
          { key: randomUUID() },
        );
        expect(retried.status).toBe(201);
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
  });
});
