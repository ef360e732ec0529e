import { createPool, eventStoreMigrations, PostgresEventStore, withTransaction } from '@pitboss/event-store';
import { readAsTenant, readerRoleOf } from '@pitboss/governance';
import { createTestSchema, type TestSchema } from '@pitboss/testing';

import { gatewayMigrations } from './gateway-migrations';

/**
 * Row-level security by tenant on bet-gateway's schema: a read through the tenant reader that forgets its
 * `WHERE tenant_id` still sees only the tenant's rows, and a read that names no tenant sees nothing.
 */
describe('tenant row-level security (bet-gateway schema)', () => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createTestSchema([...eventStoreMigrations, ...gatewayMigrations], 'rls');
    const store = new PostgresEventStore({ region: 'local' });
    // As the service writes them: as the schema's owner, bets of two tenants in the bet index and event store.
    for (const [tenantId, betId] of [
      ['tenant-a', 'bet-a1'],
      ['tenant-a', 'bet-a2'],
      ['tenant-b', 'bet-b1'],
    ] as const) {
      await withTransaction(db.pool, async (tx) => {
        await tx.query(
          `INSERT INTO bet_index (tenant_id, bet_id, round_id, player_id, status) VALUES ($1, $2, 'r-1', 'p-1', 'authorized')`,
          [tenantId, betId],
        );
        await store.appendToStream(
          tx,
          `bet:${tenantId}:${betId}`,
          'no_stream',
          [{ type: 'test.bet_noted', data: { betId } }],
          {
            tenantId,
            playerId: 'p-1',
          },
        );
      });
    }
  });

  afterAll(async () => {
    // The reader role is cluster-wide (named after the schema): removed with the test's schema.
    await db?.pool.query(`DROP OWNED BY ${readerRoleOf(db.schema)}`).catch(() => undefined);
    await db?.drop();
    const admin = createPool({ databaseUrl: db.databaseUrl, schema: 'public', maxConnections: 1 });
    await admin.query(`DROP ROLE IF EXISTS ${readerRoleOf(db.schema)}`).finally(() => admin.end());
  });

  const betsAs = (tenantId: string) =>
    readAsTenant(db.pool, db.schema, tenantId, async (tx) => {
      // No WHERE tenant_id, on purpose.
      const bets = await tx.query<{ tenant_id: string; bet_id: string }>(
        'SELECT tenant_id, bet_id FROM bet_index ORDER BY bet_id',
      );
      const events = await tx.query<{ tenant: string }>(
        "SELECT metadata->>'tenant_id' AS tenant FROM events ORDER BY global_position",
      );
      return { bets: bets.rows, events: events.rows.map((row) => row.tenant) };
    });

  it("shows tenant A only tenant A's bets and events through a query without WHERE tenant_id", async () => {
    expect(await betsAs('tenant-a')).toEqual({
      bets: [
        { tenant_id: 'tenant-a', bet_id: 'bet-a1' },
        { tenant_id: 'tenant-a', bet_id: 'bet-a2' },
      ],
      events: ['tenant-a', 'tenant-a'],
    });
    expect(await betsAs('tenant-b')).toEqual({
      bets: [{ tenant_id: 'tenant-b', bet_id: 'bet-b1' }],
      events: ['tenant-b'],
    });
  });

  it('while the owner (writes, cross-tenant jobs) sees every tenant, so the reads above were filtered', async () => {
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM bet_index');
    expect(rows[0].n).toBe(3);
  });

  it('fails closed: the reader with no tenant set, or an unknown one, sees nothing', async () => {
    expect(await betsAs('tenant-c')).toEqual({ bets: [], events: [] });
    const unset = await withTransaction(db.pool, async (tx) => {
      await tx.query(`SET LOCAL ROLE ${readerRoleOf(db.schema)}`);
      return (await tx.query('SELECT * FROM bet_index')).rows;
    });
    expect(unset).toEqual([]);
  });

  it('cannot write as the reader, and leaves the pooled connection as it found it', async () => {
    await expect(
      readAsTenant(db.pool, db.schema, 'tenant-a', (tx) =>
        tx.query(
          `INSERT INTO bet_index (tenant_id, bet_id, status) VALUES ('tenant-a', 'bet-x', 'authorized')`,
        ),
      ),
    ).rejects.toThrow(/permission denied/);
    const { rows } = await db.pool.query(
      "SELECT current_user AS role, coalesce(current_setting('app.tenant_id', true), '') AS tenant",
    );
    expect(rows[0]).toEqual({ role: 'postgres', tenant: '' });
  });
});
