import { type EventEnvelope } from '@pitboss/contracts';
import { eventStoreMigrations } from '@pitboss/event-store';
import { sagaMigrations } from '@pitboss/saga';
import {
  collectEvents,
  createTestSchema,
  expectEventually,
  provisionTestTopics,
  startRelayProcess,
  startWalletSandbox,
  uniqueTestPrefix,
  type EventCollector,
  type RelayProcess,
  type ServiceProcess,
  type TestSchema,
  type TestTopics,
  type WalletSandboxProcess,
} from '@pitboss/testing';
import { HttpWalletClient, walletKeys } from '@pitboss/wallet-client';

import {
  metricsOf,
  metricValue,
  roundEnvelope,
  RoundsPublisher,
  startSettleWorker,
  UNKNOWN_REQUEST_FACTS,
  UNKNOWN_ROLLBACK_FACTS,
} from './settle-worker.fixtures';

const SETTLEMENTS = 'rgs.settlements.v1';
const EUR = (minor_units: number) => ({ minor_units, currency: 'EUR' });

/**
 * settle-worker end to end on the real stack: rounds events published through the registry, the built worker
 * as a process, the wallet sandbox as a process, and the worker's outbox relayed to rgs.settlements.v1.
 * Tests run in order on one worker (restarted where a test needs another configuration or a crash).
 */
describe('settle-worker (real Kafka, registry, Postgres, wallet sandbox; worker as a process)', () => {
  const tenantId = uniqueTestPrefix('sw').replace(/\.$/, '');
  let db: TestSchema;
  let topics: TestTopics;
  let sandbox: WalletSandboxProcess;
  let relay: RelayProcess;
  let collector: EventCollector;
  let rounds: RoundsPublisher;
  let worker: ServiceProcess;
  let players = 0;

  const startWorker = async (env: Record<string, string> = {}, consuming = true) => {
    worker = await startSettleWorker(
      {
        ...topics.env,
        DATABASE_SCHEMA: db.schema,
        WALLET_URL: sandbox.url,
        WALLET_TIMEOUT_MS: '1000',
        WALLET_BREAKER_COOLDOWN_MS: '500',
        SETTLE_LEASE_MS: '2000',
        SETTLE_RETRY_MAX_MS: '500',
        ...env,
      },
      { consuming },
    );
  };
  const aPlayer = async (cash = 0) => {
    const playerId = `player-${++players}`;
    await sandbox.admin.createAccount({ tenantId, playerId, cash });
    return playerId;
  };
  const settlementRequested = (playerId: string, betId: string, win: number, eventId?: string) =>
    roundEnvelope(
      'settlement.requested',
      { bet_id: betId, win: EUR(win), math_version: null, ...UNKNOWN_REQUEST_FACTS, win_credit: 'cash' },
      { tenantId, playerId, eventId },
    );
  const published = (type: string, betId: string): EventEnvelope[] =>
    collector.received
      .map(({ envelope }) => envelope)
      .filter(
        (envelope) =>
          envelope.event_type === type && (envelope.payload as { bet_id: string }).bet_id === betId,
      );
  const creditsOf = (betId: string) =>
    sandbox.admin.ledger({ transactionId: walletKeys.credit(tenantId, betId) });
  const storedCount = async (type: string, betId: string) =>
    (
      await db.pool.query(
        `SELECT count(*)::int AS n FROM events WHERE event_type = $1 AND stream_id LIKE $2`,
        [type, `%:${tenantId}:${betId}`],
      )
    ).rows[0].n as number;

  beforeAll(async () => {
    [db, topics, sandbox] = await Promise.all([
      createTestSchema([...eventStoreMigrations, ...sagaMigrations], 'settle'),
      provisionTestTopics('settle'),
      startWalletSandbox(),
    ]);
    relay = startRelayProcess([db.schema], topics.env);
    rounds = new RoundsPublisher(topics);
    [collector] = await Promise.all([
      collectEvents(topics, [SETTLEMENTS]),
      rounds.connect(),
      relay.waitForRole(db.schema, 'active'),
      startWorker(),
    ]);
  });

  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await relay?.kill('SIGTERM');
    await collector?.stop();
    await rounds?.disconnect();
    await sandbox?.stop();
    await topics?.cleanup();
    await db?.drop();
  });

  it('credits a settlement once and publishes bet.settled with the win, decoded through the registry', async () => {
    const playerId = await aPlayer();
    const requested = settlementRequested(playerId, 'bet-1', 1_250);

    await rounds.publish(requested);

    const [settled] = await expectEventually(() => {
      const events = published('bet.settled', 'bet-1');
      expect(events).toHaveLength(1);
      return events;
    });
    const credits = await creditsOf('bet-1');
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({ kind: 'credit', amount: EUR(1_250), player_id: playerId });
    expect(settled).toMatchObject({
      tenant_id: tenantId,
      player_id: playerId,
      session_id: requested.session_id,
      round_id: requested.round_id,
      causation_id: requested.event_id,
      trace_id: requested.trace_id,
      idempotency_key: walletKeys.credit(tenantId, 'bet-1'),
      payload: {
        bet_id: 'bet-1',
        win: EUR(1_250),
        wallet_transaction_id: walletKeys.credit(tenantId, 'bet-1'),
      },
    });
    expect(await sandbox.admin.balance(tenantId, playerId)).toMatchObject({ cash: EUR(1_250) });
  });

  it('credits once when the request is redelivered and when another request for the bet arrives', async () => {
    const playerId = await aPlayer();
    const first = settlementRequested(playerId, 'bet-2', 700);
    const second = settlementRequested(playerId, 'bet-2', 700);

    await rounds.publish(first);
    await rounds.publish(first);
    await rounds.publish(second);

    await expectEventually(async () => {
      const inbox = await db.pool.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1)', [
        [first.event_id, second.event_id],
      ]);
      expect(inbox.rows[0].n).toBe(2);
      expect(published('bet.settled', 'bet-2')).toHaveLength(1);
    });
    expect(await creditsOf('bet-2')).toHaveLength(1);
    expect(await storedCount('bet.settled', 'bet-2')).toBe(1);
    expect(await storedCount('settlement.started', 'bet-2')).toBe(1);
  });

  it("fills a request published without the bet's facts from its bet.authorized, and keeps no row of them", async () => {
    const playerId = await aPlayer();
    const authorized = (betId: string) =>
      roundEnvelope(
        'bet.authorized',
        {
          bet_id: betId,
          game_id: 'game-legacy',
          game_type: 'slot',
          amount: EUR(300),
          bonus_grant_id: null,
          wallet_transaction_id: null,
          balance_after: null,
          math_version: 'mv-7',
          country: null,
          provider: null,
          funded_by: 'cash',
        },
        { tenantId, playerId },
      );
    const factsLeft = async (betId: string) =>
      (
        await db.pool.query('SELECT count(*)::int AS n FROM bet_facts WHERE tenant_id = $1 AND bet_id = $2', [
          tenantId,
          betId,
        ])
      ).rows[0].n as number;

    await rounds.publish(authorized('bet-facts'));
    await rounds.publish(settlementRequested(playerId, 'bet-facts', 900));
    await rounds.publish(authorized('bet-facts-rolled'));
    await rounds.publish(
      roundEnvelope(
        'rollback.requested',
        {
          bet_id: 'bet-facts-rolled',
          amount: EUR(300),
          reason: 'ROUND_CANCELLED',
          requested_by: 'AGGREGATOR',
          ...UNKNOWN_ROLLBACK_FACTS,
        },
        { tenantId, playerId },
      ),
    );

    const [settled] = await expectEventually(() => {
      const events = published('bet.settled', 'bet-facts');
      expect(events).toHaveLength(1);
      expect(published('bet.rolled_back', 'bet-facts-rolled')).toHaveLength(1);
      return events;
    });
    expect(settled?.payload).toMatchObject({ stake: EUR(300), game_id: 'game-legacy', math_version: 'mv-7' });
    expect(await factsLeft('bet-facts')).toBe(0);
    expect(await factsLeft('bet-facts-rolled')).toBe(0);
  });

  it('rolls back a debit once, and treats a debit the wallet never saw as rolled back (its late debit refused)', async () => {
    const playerId = await aPlayer(1_000);
    const wallet = new HttpWalletClient({ baseUrl: sandbox.url, timeoutMs: 2_000, maxConnections: 2 });
    const debit = (betId: string) =>
      wallet.debit({
        tenantId,
        playerId,
        transactionId: walletKeys.debit(tenantId, betId),
        amount: EUR(300),
        betId,
      });
    const rollbackRequested = (betId: string) =>
      roundEnvelope(
        'rollback.requested',
        {
          bet_id: betId,
          amount: EUR(300),
          reason: 'DEBIT_UNCERTAIN',
          requested_by: 'SYSTEM',
          ...UNKNOWN_ROLLBACK_FACTS,
        },
        { tenantId, playerId },
      );
    try {
      expect((await debit('bet-debited')).kind).toBe('ok');

      await rounds.publish(rollbackRequested('bet-debited'));
      await rounds.publish(rollbackRequested('bet-never-debited'));

      await expectEventually(() => {
        expect(published('bet.rolled_back', 'bet-debited')).toHaveLength(1);
        expect(published('bet.rolled_back', 'bet-never-debited')).toHaveLength(1);
      });
      const rollbacks = await sandbox.admin.ledger({
        transactionId: walletKeys.rollback(tenantId, 'bet-debited'),
      });
      expect(rollbacks).toHaveLength(1);
      expect(rollbacks[0]).toMatchObject({ kind: 'rollback', cash_delta_minor_units: 300 });
      // The request carried no facts (a gateway that did not send them): the rolled-back event says null.
      expect(published('bet.rolled_back', 'bet-debited')[0]?.payload).toMatchObject({
        bet_id: 'bet-debited',
        amount: EUR(300),
        reason: 'DEBIT_UNCERTAIN',
        ...UNKNOWN_ROLLBACK_FACTS,
      });
      expect(await sandbox.admin.balance(tenantId, playerId)).toMatchObject({ cash: EUR(1_000) });
      const late = await debit('bet-never-debited');
      expect(late).toMatchObject({ kind: 'rejected', code: 'TRANSACTION_ROLLED_BACK' });
      expect(await sandbox.admin.balance(tenantId, playerId)).toMatchObject({ cash: EUR(1_000) });
    } finally {
      await wallet.close();
    }
  });

  it('credits nothing while the wallet is offline, opens the circuit, then credits every settlement once', async () => {
    const playerId = await aPlayer();
    const bets = ['off-1', 'off-2', 'off-3', 'off-4', 'off-5', 'off-6'];
    await sandbox.admin.setFaults({ offline: true });

    for (const [index, betId] of bets.entries())
      await rounds.publish(settlementRequested(playerId, betId, 100 + index));

    await expectEventually(async () =>
      expect(metricValue(await metricsOf(worker), 'wallet_circuit_state', { state: 'open' })).toBe(1),
    );
    await expectEventually(async () =>
      expect(
        metricValue(await metricsOf(worker), 'settle_sagas', {
          kind: 'settlement',
          state: 'settled_pending_credit',
        }),
      ).toBeGreaterThanOrEqual(bets.length),
    );
    expect(await sandbox.admin.ledger({ tenantId, playerId })).toEqual([]);

    await sandbox.admin.clearFaults();

    await expectEventually(
      () => bets.forEach((betId) => expect(published('bet.settled', betId)).toHaveLength(1)),
      {
        timeoutMs: 30_000,
      },
    );
    const credits = await sandbox.admin.ledger({ tenantId, playerId });
    expect(credits.map((entry) => entry.transaction_id).sort()).toEqual(
      bets.map((betId) => walletKeys.credit(tenantId, betId)).sort(),
    );
    await expectEventually(async () =>
      expect(metricValue(await metricsOf(worker), 'wallet_circuit_state', { state: 'closed' })).toBe(1),
    );
  });

  it('compensates, with an alert, when the credit budget runs out while the wallet is offline', async () => {
    await worker.kill('SIGTERM');
    await startWorker({ SETTLE_CREDIT_BUDGET_MS: '1500' });
    const playerId = await aPlayer();
    await sandbox.admin.setFaults({ offline: true });

    await rounds.publish(settlementRequested(playerId, 'bet-budget', 5_000));

    const [compensated] = await expectEventually(() => {
      const events = published('settlement.compensated', 'bet-budget');
      expect(events).toHaveLength(1);
      return events;
    });
    expect(compensated?.payload).toEqual({
      bet_id: 'bet-budget',
      win: EUR(5_000),
      reason: 'CREDIT_BUDGET_EXHAUSTED',
    });
    expect(
      metricValue(await metricsOf(worker), 'settle_alerts_total', { reason: 'credit_budget_exhausted' }),
    ).toBe(1);
    await sandbox.admin.clearFaults();
    expect(await creditsOf('bet-budget')).toEqual([]);
    expect(published('bet.settled', 'bet-budget')).toEqual([]);
  });
  it('credits once when the wallet commits but the answer is lost, and when the worker is killed mid-call', async () => {
    await worker.kill('SIGTERM');
    await startWorker();
    const playerId = await aPlayer();
    await sandbox.admin.setFaults({ commit_then_drop_rate: 1, operations: ['credit'] });

    await rounds.publish(settlementRequested(playerId, 'bet-dropped', 400));

    await expectEventually(async () => {
      expect(await creditsOf('bet-dropped')).toHaveLength(1);
      expect(await storedCount('settlement.credit_attempt_failed', 'bet-dropped')).toBeGreaterThanOrEqual(1);
    });
    await sandbox.admin.setFaults({ latency_ms: 800, operations: ['credit'] });
    await expectEventually(() => expect(published('bet.settled', 'bet-dropped')).toHaveLength(1));
    expect(await creditsOf('bet-dropped')).toHaveLength(1);

    await rounds.publish(settlementRequested(playerId, 'bet-killed', 900));
    await expectEventually(
      async () => expect(await storedCount('settlement.credit_attempt_started', 'bet-killed')).toBe(1),
      { intervalMs: 5 },
    );
    await worker.kill('SIGKILL');
    // The new replica's timer loop resumes the unfinished attempt once the dead one's lease expires; it does not
    // need its consumer, which only joins the group after the dead member's session times out.
    await startWorker({}, false);

    await expectEventually(() => expect(published('bet.settled', 'bet-killed')).toHaveLength(1));
    expect(await creditsOf('bet-killed')).toHaveLength(1);
    expect(await storedCount('settlement.credit_attempt_started', 'bet-killed')).toBeGreaterThanOrEqual(2);
    expect(await storedCount('bet.settled', 'bet-killed')).toBe(1);
    expect(await sandbox.admin.balance(tenantId, playerId)).toMatchObject({ cash: EUR(1_300) });
    await sandbox.admin.clearFaults();
  });
});
