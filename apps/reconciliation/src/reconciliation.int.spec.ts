import { randomUUID } from 'node:crypto';

import { PostgresEventStore, eventStoreMigrations } from '@pitboss/event-store';
import { TOPICS } from '@pitboss/contracts';
import {
  authorizeBody,
  collectEvents,
  createTestSchema,
  expectEventually,
  openTestPlayer,
  startMoneyFleet,
  startRelayProcess,
  type EventCollector,
  type MoneyFleet,
  type RelayProcess,
  type TestSchema,
} from '@pitboss/testing';
import { walletKeys } from '@pitboss/wallet-client';

import { mirrorEvent } from './mirror/mirror-ledger.consumer';
import { reconciliationMigrations } from './reconciliation-migrations';
import { runDailyReconciliation } from './run/daily-reconciliation';
import { walletReportRows } from './run/wallet-report.source';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });
const today = new Date().toISOString().slice(0, 10);
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/**
 * The money path as production runs it (gateway, settle-worker, relay, wallet sandbox as processes), the mirror
 * fed by a real consumer on its topics, discrepancies injected through the sandbox's admin API, and the daily run
 * against the sandbox's real CSV report; recon.v1 events through this schema's outbox and a relay.
 */
describe('reconciliation daily run (real stack, money fleet, wallet sandbox report)', () => {
  let fleet: MoneyFleet;
  let db: TestSchema;
  let mirror: EventCollector;
  let recon: EventCollector;
  let relay: RelayProcess;

  beforeAll(async () => {
    [fleet, db] = await Promise.all([
      startMoneyFleet({ label: 'recon' }),
      createTestSchema([...eventStoreMigrations, ...reconciliationMigrations], 'recon'),
    ]);
    mirror = await collectEvents(
      fleet.topics,
      [TOPICS.rounds.name, TOPICS.settlements.name],
      (envelope, context) =>
        mirrorEvent(
          { pool: db.pool, eventStore: new PostgresEventStore({ region: 'local' }) },
          envelope,
          context.topic,
        ),
    );
    recon = await collectEvents(fleet.topics, [TOPICS.recon.name]);
    relay = startRelayProcess([db.schema], fleet.topics.env);
    await relay.waitForRole(db.schema, 'active');
  }, 180_000);

  afterAll(async () => {
    await relay?.kill('SIGTERM');
    await Promise.all([mirror?.stop(), recon?.stop()]);
    await fleet?.stop();
    await db?.drop();
  });

  async function admin(method: string, path: string, body: unknown) {
    const response = await fetch(`${fleet.wallet.adminUrl}${path}`, {
      method,
      headers: { 'x-admin-token': fleet.wallet.adminToken, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  const run = (date: string) =>
    runDailyReconciliation(
      {
        pool: db.pool,
        eventStore: new PostgresEventStore({ region: 'local' }),
        reportRows: (request) =>
          walletReportRows(fleet.wallet.adminUrl, fleet.wallet.adminToken, request.tenantId, request.date),
        threshold: 0.001,
        batchRows: 3,
      },
      { tenantId: fleet.tenantId, date },
    );

  it('given real bets and one injected discrepancy of each class, when the day is run, then each is found exactly, and a rerun finds the same', async () => {
    const player = await openTestPlayer(fleet, { cash: 100_000 });
    const bet = async (win: number | 'rollback') => {
      const body = authorizeBody(player);
      expect((await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() })).status).toBe(200);
      const next =
        win === 'rollback'
          ? await fleet.http.post(
              '/v1/bets/rollback',
              { bet_id: body.bet_id, reason: 'cancelled' },
              { key: randomUUID() },
            )
          : await fleet.http.post(
              '/v1/bets/settle',
              { bet_id: body.bet_id, round_id: body.round_id, win: eur(win) },
              { key: randomUUID() },
            );
      expect(next.status).toBeLessThan(300);
      return body.bet_id as string;
    };
    await bet(600);
    await bet(0);
    await bet('rollback');
    const [dropped, duplicated, repriced, redated] = [
      await bet(100),
      await bet(100),
      await bet(100),
      await bet(100),
    ];
    const tenant = fleet.tenantId;

    // 7 debits, 6 credits (zero win included: credited as 0 by default), 1 rollback.
    await expectEventually(
      async () => {
        const { rows } = await db.pool.query(
          'SELECT kind, count(*)::int AS n FROM expected_movements WHERE tenant_id = $1 GROUP BY kind ORDER BY kind',
          [tenant],
        );
        expect(rows).toEqual([
          { kind: 'credit', n: 6 },
          { kind: 'debit', n: 7 },
          { kind: 'rollback', n: 1 },
        ]);
      },
      { timeoutMs: 60_000 },
    );

    const override = (betId: string, change: object) =>
      admin('PUT', '/admin/reports/overrides', {
        tenant_id: tenant,
        transaction_id: walletKeys.debit(tenant, betId),
        ...change,
      });
    await override(dropped, { drop: true });
    await override(duplicated, { duplicate: true });
    await override(repriced, { amount_minor_units: 251 });
    await override(redated, { booked_at: `${tomorrow}T00:00:05.000Z` });
    const adjustment = await admin('POST', '/admin/adjustments', {
      tenant_id: tenant,
      player_id: player.playerId,
      kind: 'credit',
      amount_minor_units: 700,
    });

    const first = await run(today);

    const found = async (runId: string) =>
      (
        await db.pool.query(
          'SELECT class, transaction_key, expected_minor_units::int AS e, actual_minor_units::int AS a FROM recon_discrepancies WHERE run_id = $1 ORDER BY class, transaction_key',
          [runId],
        )
      ).rows;
    const expectedToday = [
      { class: 'amount_mismatch', transaction_key: walletKeys.debit(tenant, repriced), e: 250, a: 251 },
      { class: 'duplicate', transaction_key: walletKeys.debit(tenant, duplicated), e: 250, a: 250 },
      ...[walletKeys.debit(tenant, dropped), walletKeys.debit(tenant, redated)]
        .sort()
        .map((key) => ({ class: 'missing_in_wallet', transaction_key: key, e: 250, a: null })),
      { class: 'unexpected_in_wallet', transaction_key: adjustment['transaction_id'], e: null, a: 700 },
    ];
    expect(await found(first.runId)).toEqual(expectedToday);
    expect(first.outcome.classCounts).toEqual({
      missing_in_wallet: 2,
      unexpected_in_wallet: 1,
      amount_mismatch: 1,
      duplicate: 1,
      late: 0,
    });
    expect(
      first.outcome.totals.map((t) => [t.kind, t.expectedCount, t.matchedCount, t.discrepancyCount]),
    ).toEqual([
      ['debit', 7, 4, 4],
      ['credit', 6, 6, 1],
      ['rollback', 1, 1, 0],
    ]);
    expect(first.outcome.alerted).toBe(true);

    const rerun = await run(today);
    expect(rerun.runId).not.toBe(first.runId);
    expect(await found(rerun.runId)).toEqual(expectedToday);
    expect(rerun.outcome).toEqual(first.outcome);

    const next = await run(tomorrow);
    expect(await found(next.runId)).toEqual([
      { class: 'late', transaction_key: walletKeys.debit(tenant, redated), e: 250, a: 250 },
    ]);

    await expectEventually(
      () => {
        const ofRun = (runId: string) =>
          recon.received
            .map((r) => r.envelope)
            .filter((e) => (e.payload as { run_id: string }).run_id === runId);
        expect(
          ofRun(first.runId)
            .map((e) => e.event_type)
            .sort(),
        ).toEqual([...Array<string>(5).fill('discrepancy.detected'), 'reconciliation.completed']);
        const completed = ofRun(first.runId).find((e) => e.event_type === 'reconciliation.completed')
          ?.payload as Record<string, unknown>;
        expect(completed).toMatchObject({ report_date: today, alerted: true, threshold: 0.001 });
        expect(completed['discrepancy_counts']).toEqual([
          { class: 'missing_in_wallet', count: 2 },
          { class: 'unexpected_in_wallet', count: 1 },
          { class: 'amount_mismatch', count: 1 },
          { class: 'duplicate', count: 1 },
          { class: 'late', count: 0 },
        ]);
        expect(
          ofRun(next.runId)
            .map((e) => e.event_type)
            .sort(),
        ).toEqual(['discrepancy.detected', 'reconciliation.completed']);
      },
      { timeoutMs: 30_000 },
    );
  }, 180_000);
});
