import { Registry } from 'prom-client';

import { serviceMigrations } from '@pitboss/event-store';
import { PostgresIdempotencyStore } from '@pitboss/idempotency';
import { createTestSchema, expectEventually, type TestSchema } from '@pitboss/testing';

import { gatewayMigrations } from '../migrations/gateway-migrations';
import { SessionRepository } from '../sessions/session.repository';
import { ExpiredRowsPurger } from './expired-rows-purger';

const GRACE_MS = 60_000;

/** The purge on the real Postgres: expired rows go, live ones (and sessions within their grace) stay. */
describe('ExpiredRowsPurger', () => {
  let db: TestSchema;
  let sessions: SessionRepository;

  beforeAll(async () => {
    db = await createTestSchema(serviceMigrations(gatewayMigrations), 'purge');
    sessions = new SessionRepository(db.pool);
  });

  afterAll(() => db?.drop());

  beforeEach(async () => {
    await db.pool.query('TRUNCATE sessions, idempotency_records');
  });

  /** `count` sessions of a tenant expiring `offset` from now (negative: in the past). */
  async function insertSessions(tenant: string, count: number, offset: string): Promise<void> {
    await db.pool.query(
      `INSERT INTO sessions (tenant_id, session_id, player_id, game_id, currency, expires_at)
       SELECT $1, gen_random_uuid(), 'p-' || n, 'starburst', 'EUR', now() + $3::interval
       FROM generate_series(1, $2) AS n`,
      [tenant, count, offset],
    );
  }

  async function insertIdempotencyRecords(tenant: string, count: number, offset: string): Promise<void> {
    await db.pool.query(
      `INSERT INTO idempotency_records (tenant_id, scope, idempotency_key, request_hash, state, claim_id,
         response_status, response_body, completed_at, expires_at)
       SELECT $1, '/v1/bets/authorize', 'k-' || n, repeat('a', 64), 'completed', gen_random_uuid(),
         200, '{}'::jsonb, now(), now() + $3::interval
       FROM generate_series(1, $2) AS n`,
      [tenant, count, offset],
    );
  }

  async function countByTenant(table: string): Promise<Record<string, number>> {
    const { rows } = await db.pool.query<{ tenant_id: string; n: number }>(
      `SELECT tenant_id, count(*)::int AS n FROM ${table} GROUP BY tenant_id`,
    );
    return Object.fromEntries(rows.map((row) => [row.tenant_id, row.n]));
  }

  it('deletes at most one batch of rows per statement', async () => {
    await insertSessions('expired', 250, '-2 hours');

    expect(await sessions.purgeExpiredBatch(GRACE_MS, 100)).toBe(100);
    expect(await countByTenant('sessions')).toEqual({ expired: 150 });
  });

  it('removes expired idempotency records and sessions past their grace on its schedule, keeps the rest, counts them', async () => {
    await insertSessions('expired', 250, '-2 hours');
    await insertSessions('in-grace', 5, '-10 seconds');
    await insertSessions('live', 5, '1 hour');
    await insertIdempotencyRecords('expired', 250, '-1 second');
    await insertIdempotencyRecords('live', 5, '30 days');
    const metrics = new Registry();
    const purger = new ExpiredRowsPurger(
      new PostgresIdempotencyStore(db.pool),
      sessions,
      { intervalMs: 20, batchSize: 100, sessionGraceMs: GRACE_MS },
      metrics,
    );

    purger.onApplicationBootstrap();
    try {
      await expectEventually(async () => {
        expect(await countByTenant('sessions')).toEqual({ 'in-grace': 5, live: 5 });
        expect(await countByTenant('idempotency_records')).toEqual({ live: 5 });
      });
    } finally {
      await purger.onApplicationShutdown();
    }
    const purged = (await metrics.getSingleMetric('gateway_purged_rows_total')!.get()).values;
    expect(purged.map(({ labels, value }) => [labels['table'], value]).sort()).toEqual([
      ['idempotency_records', 250],
      ['sessions', 250],
    ]);
  });

  it('lets two replicas purge at once: each row is deleted once, neither fails', async () => {
    await insertSessions('expired', 3_000, '-2 hours');

    const removed = await Promise.all([
      sessions.purgeExpired(GRACE_MS, 100),
      sessions.purgeExpired(GRACE_MS, 100),
    ]);

    expect(removed[0] + removed[1]).toBe(3_000);
    expect(await countByTenant('sessions')).toEqual({});
  });
});
