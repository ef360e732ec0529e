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
import { walletKeys } from '@pitboss/wallet-client';

import {
  roundEnvelope,
  RoundsPublisher,
  startSettleWorker,
  UNKNOWN_REQUEST_FACTS,
} from './settle-worker.fixtures';

const EUR_0 = { minor_units: 0, currency: 'EUR' };

/**
 * Zero wins and the per-tenant wallet setting, on the real stack (worker, relay and wallet sandbox as processes):
 * by default a zero win is credited as 0 under the bet's credit key, so the wallet can close the round; a tenant
 * turned off in WALLET_ZERO_WIN_CREDIT_TENANTS is settled without a wallet call.
 */
describe('settle-worker zero wins (real Kafka, registry, Postgres, wallet sandbox; worker as a process)', () => {
  const crediting = uniqueTestPrefix('swz-on').replace(/\.$/, '');
  const notCrediting = uniqueTestPrefix('swz-off').replace(/\.$/, '');
  let db: TestSchema;
  let topics: TestTopics;
  let sandbox: WalletSandboxProcess;
  let relay: RelayProcess;
  let collector: EventCollector;
  let rounds: RoundsPublisher;
  let worker: ServiceProcess;

  const lossOf = (tenantId: string, playerId: string, betId: string) =>
    roundEnvelope(
      'settlement.requested',
      { bet_id: betId, win: EUR_0, math_version: null, ...UNKNOWN_REQUEST_FACTS, win_credit: 'cash' },
      { tenantId, playerId },
    );
  const settledOf = (tenantId: string, betId: string): EventEnvelope[] =>
    collector.received
      .map(({ envelope }) => envelope)
      .filter(
        (envelope) =>
          envelope.event_type === 'bet.settled' &&
          envelope.tenant_id === tenantId &&
          (envelope.payload as { bet_id: string }).bet_id === betId,
      );
  const inboxed = async (eventIds: string[]) =>
    (await db.pool.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1)', [eventIds])).rows[0]
      .n as number;

  beforeAll(async () => {
    [db, topics, sandbox] = await Promise.all([
      createTestSchema([...eventStoreMigrations, ...sagaMigrations], 'settlez'),
      provisionTestTopics('settlez'),
      startWalletSandbox(),
    ]);
    relay = startRelayProcess([db.schema], topics.env);
    rounds = new RoundsPublisher(topics);
    [collector, , , worker] = await Promise.all([
      collectEvents(topics, ['rgs.settlements.v1']),
      rounds.connect(),
      relay.waitForRole(db.schema, 'active'),
      // WALLET_ZERO_WIN_CREDIT left unset: its default (credit zero wins) applies to every tenant not listed.
      startSettleWorker({
        ...topics.env,
        DATABASE_SCHEMA: db.schema,
        WALLET_URL: sandbox.url,
        WALLET_ZERO_WIN_CREDIT_TENANTS: `${notCrediting}:false`,
      }),
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

  it('by default credits a zero win once as a credit of 0 under the bet credit key, also when redelivered', async () => {
    await sandbox.admin.createAccount({ tenantId: crediting, playerId: 'player-1', cash: 500 });
    const creditKey = walletKeys.credit(crediting, 'bet-loss');
    const first = lossOf(crediting, 'player-1', 'bet-loss');
    const twin = lossOf(crediting, 'player-1', 'bet-loss');

    await rounds.publish(first);
    const [settled] = await expectEventually(() => {
      const events = settledOf(crediting, 'bet-loss');
      expect(events).toHaveLength(1);
      return events;
    });
    await rounds.publish(first);
    await rounds.publish(twin);
    await expectEventually(async () => expect(await inboxed([first.event_id, twin.event_id])).toBe(2));

    expect(settled?.payload).toMatchObject({
      bet_id: 'bet-loss',
      win: EUR_0,
      wallet_transaction_id: creditKey,
      ...UNKNOWN_REQUEST_FACTS,
    });
    const ledger = await sandbox.admin.ledger({ tenantId: crediting, playerId: 'player-1' });
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      kind: 'credit',
      transaction_id: creditKey,
      amount: EUR_0,
      cash_delta_minor_units: 0,
      bet_id: 'bet-loss',
    });
    const attempts = await db.pool.query(
      `SELECT count(*)::int AS n FROM events WHERE event_type = 'settlement.credit_attempt_started' AND stream_id LIKE $1`,
      [`%:${crediting}:bet-loss`],
    );
    expect(attempts.rows[0].n).toBe(1);
    expect(settledOf(crediting, 'bet-loss')).toHaveLength(1);
    expect(await sandbox.admin.balance(crediting, 'player-1')).toMatchObject({ cash: { minor_units: 500 } });
  });

  it('settles a zero win without a wallet call for a tenant turned off', async () => {
    await sandbox.admin.createAccount({ tenantId: notCrediting, playerId: 'player-1', cash: 500 });

    await rounds.publish(lossOf(notCrediting, 'player-1', 'bet-loss'));

    const [settled] = await expectEventually(() => {
      const events = settledOf(notCrediting, 'bet-loss');
      expect(events).toHaveLength(1);
      return events;
    });
    expect(settled?.payload).toMatchObject({
      bet_id: 'bet-loss',
      win: EUR_0,
      wallet_transaction_id: null,
      ...UNKNOWN_REQUEST_FACTS,
    });
    expect(await sandbox.admin.ledger({ tenantId: notCrediting })).toEqual([]);
  });
});
