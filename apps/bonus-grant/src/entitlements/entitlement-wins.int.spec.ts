import { randomBytes, randomUUID } from 'node:crypto';

import { type EventEnvelope, TOPICS } from '@pitboss/contracts';
import { eventStoreMigrations } from '@pitboss/event-store';
import {
  authorizeBody,
  collectEvents,
  createTestSchema,
  type EventCollector,
  expectEventually,
  issueToken,
  type MoneyFleet,
  openTestPlayer,
  publishTestEvents,
  type RelayProcess,
  type ServiceProcess,
  signedHttpClient,
  startMoneyFleet,
  startRelayProcess,
  startServiceProcess,
  type TestPlayer,
  type TestSchema,
} from '@pitboss/testing';
import { walletKeys } from '@pitboss/wallet-client';

import { bonusGrantMigrations } from '../bonus-grant-migrations';
import { aPlayerProfile, offerTerms, publishOffer } from '../grants/grants.fixtures';

const TENANT = 'brand-a';
const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });
jest.setTimeout(300_000);

/**
 * An entitlement whose wins are credited as bonus, end to end on real processes: bonus-grant (Keycloak token,
 * its own schema and relay), bet-gateway, settle-worker, the wallet sandbox, Kafka and the registry. A free spin
 * of an offer with wagering wins: settle-worker makes no cash credit and marks bet.settled `credited_as:
 * bonus_grant`; bonus-grant grants the win to the bonus sub-balance with wagering wager_x × the win, once
 * whoever redelivers; a zero win grants nothing.
 */
describe('entitlement wins credited as bonus (bonus-grant, bet-gateway, settle-worker, wallet sandbox)', () => {
  const secret = randomBytes(16).toString('hex');
  let fleet: MoneyFleet;
  let db: TestSchema;
  let relay: RelayProcess;
  let bonusGrant: ServiceProcess;
  let collector: EventCollector;
  let token: string;
  let seq = 0;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    // The gateway signs for bonus-grant's tenant: Keycloak's promo:issue user belongs to brand-a.
    fleet = await startMoneyFleet({
      label: 'entwin',
      gatewayEnv: { TENANT_SECRETS: `${TENANT}:${secret}`, IDEMPOTENCY_WAIT_MS: '0' },
    });
    [db, token] = await Promise.all([
      createTestSchema([...eventStoreMigrations, ...bonusGrantMigrations], 'bgw'),
      issueToken('brand-a-ops-1', { scope: 'promo:issue' }),
    ]);
    relay = startRelayProcess([db.schema], fleet.topics.env);
    collector = await collectEvents(fleet.topics, [TOPICS.promoGrants.name, TOPICS.settlements.name]);
    bonusGrant = await startServiceProcess('bonus-grant', {
      env: {
        ...fleet.topics.env,
        DATABASE_SCHEMA: db.schema,
        DATABASE_MIGRATE_ON_START: 'false',
        WALLET_URL: fleet.wallet.url,
        WALLET_BREAKER_MIN_CALLS: '1000',
      },
      waitForLines: [
        'grant timer loop started',
        '(group bonus-grant-entitlements)',
        '(group bonus-grant-entitlement-wins)',
      ],
      startTimeoutMs: 180_000,
    });
    await relay.waitForRole(db.schema, 'active');
  });

  afterAll(async () => {
    await bonusGrant?.kill('SIGTERM');
    await relay?.kill('SIGTERM');
    await collector?.stop();
    await db?.drop();
    await fleet?.stop();
  });

  const gateway = () => ({
    tenantId: TENANT,
    wallet: fleet.wallet,
    http: signedHttpClient(fleet.gateway.url, TENANT, secret),
  });
  /** A player known to the wallet (no cash), the gateway (a session) and bonus-grant (a profile). */
  const aPlayer = async (): Promise<TestPlayer> => {
    const player = await openTestPlayer(gateway(), { cash: 0 });
    await aPlayerProfile(db.pool, TENANT, player.playerId);
    return player;
  };
  /** A free-spins offer with wagering ×5 under its contribution schema: its wins are credited as bonus. */
  const aWageredOffer = async () => {
    const offerId = `fsw-${run}-${++seq}`;
    await publishOffer(
      db.pool,
      TENANT,
      offerId,
      offerTerms(
        { type: 'free_spins' },
        {
          match_pct: null,
          cap_minor: null,
          wager_x: 5,
          sticky: false,
          max_bet_minor: null,
          contribution_schema: { id: 'default', version: 1 },
          validity_days: 7,
          free_rounds: { count: 3, bet_value_minor: 20, games: ['starburst'] },
        },
      ),
    );
    return offerId;
  };
  const anEntitlement = async (player: TestPlayer, offerId: string): Promise<string> => {
    const response = await fetch(`${bonusGrant.url}/v1/entitlements`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'x-idempotency-key': randomUUID(),
        'x-trace-id': randomUUID(),
      },
      body: JSON.stringify({ player_id: player.playerId, offer_id: offerId }),
    });
    const body = (await response.json()) as { entitlement_id: string; win_credit: string };
    expect([response.status, body.win_credit]).toEqual([201, 'bonus']);
    return body.entitlement_id;
  };
  /** Authorizes one free spin once the gateway learnt the entitlement, then settles it with `win`. */
  const playAndSettle = async (
    player: TestPlayer,
    entitlementId: string,
    win: number,
    beforeSettle: () => Promise<void> = async () => undefined,
  ) => {
    const bet = authorizeBody(player, { entitlement_id: entitlementId, amount: eur(20) });
    const http = gateway().http;
    await expectEventually(async () => {
      const authorized = await http.post('/v1/bets/authorize', bet, { key: randomUUID() });
      expect([authorized.status, authorized.body.status]).toEqual([200, 'authorized']);
    });
    await beforeSettle();
    const settled = await http.post(
      '/v1/bets/settle',
      { bet_id: bet.bet_id, round_id: bet.round_id, win: eur(win) },
      { key: randomUUID() },
    );
    expect(settled.status).toBeLessThan(300);
    return bet.bet_id;
  };
  const events = (type: string, field: string, id: string): EventEnvelope[] =>
    collector.received
      .map(({ envelope }) => envelope)
      .filter(
        (envelope) =>
          envelope.event_type === type && (envelope.payload as Record<string, unknown>)[field] === id,
      );
  const grantsOf = async (betId: string) =>
    (
      await db.pool.query(
        `SELECT grant_id, status, amount_minor_units::int AS amount FROM grants
          WHERE trigger = 'entitlement_win' AND trigger_ref = $1`,
        [betId],
      )
    ).rows as { grant_id: string; status: string; amount: number }[];

  it('grants a win to the bonus sub-balance with wager_x × the win, no cash credit, once under redelivery', async () => {
    const player = await aPlayer();
    const offerId = await aWageredOffer();
    const entitlementId = await anEntitlement(player, offerId);
    const betId = await playAndSettle(player, entitlementId, 333);

    // settle-worker settled it without a wallet call, marked for bonus-grant.
    await expectEventually(() =>
      expect(events('bet.settled', 'bet_id', betId).map((event) => event.payload)).toEqual([
        expect.objectContaining({
          win: eur(333),
          wallet_transaction_id: null,
          entitlement_id: entitlementId,
          funded_by: 'entitlement',
          credited_as: 'bonus_grant',
        }),
      ]),
    );
    expect(await fleet.wallet.admin.ledger({ tenantId: TENANT, betId })).toEqual([]);

    // bonus-grant granted exactly the win, credited to the bonus sub-balance by the grant's key.
    await expectEventually(async () =>
      expect(await grantsOf(betId)).toEqual([
        { grant_id: expect.any(String), status: 'active', amount: 333 },
      ]),
    );
    const grantId = (await grantsOf(betId))[0]!.grant_id;
    expect(await fleet.wallet.admin.balance(TENANT, player.playerId)).toEqual({
      cash: eur(0),
      bonus: eur(333),
    });
    expect(
      (await fleet.wallet.admin.ledger({ tenantId: TENANT, grantId })).map((entry) => entry.transaction_id),
    ).toEqual([walletKeys.grantCredit(TENANT, grantId)]);
    await expectEventually(() =>
      expect(events('bonus.issued', 'grant_id', grantId).map((event) => event.payload)).toEqual([
        expect.objectContaining({
          offer_id: offerId,
          offer_version: 1,
          amount: eur(333),
          trigger: 'entitlement_win',
          trigger_ref: betId,
          wagering_required: eur(1_665),
          contribution_schema_id: 'default',
        }),
      ]),
    );

    // A redelivered bet.settled (another event id, as a replayed relay would) grants nothing more.
    const [settled] = events('bet.settled', 'bet_id', betId) as [EventEnvelope];
    const [redelivered] = await publishTestEvents(fleet.topics, [
      {
        topic: TOPICS.settlements.name,
        eventType: 'bet.settled',
        tenantId: TENANT,
        playerId: player.playerId,
        payload: settled.payload as Record<string, unknown>,
      },
    ]);
    // Read and recorded by the wins' consumer (its inbox row commits with whatever it granted: nothing).
    await expectEventually(async () => {
      const { rowCount } = await db.pool.query(
        `SELECT 1 FROM inbox WHERE consumer = 'bonus-grant-entitlement-wins' AND event_id = $1`,
        [redelivered!.event_id],
      );
      expect(rowCount).toBe(1);
    });
    expect(await grantsOf(betId)).toHaveLength(1);
    expect(await fleet.wallet.admin.balance(TENANT, player.playerId)).toEqual({
      cash: eur(0),
      bonus: eur(333),
    });
  });

  it('grants nothing for a zero win, and moves no money for it', async () => {
    const player = await aPlayer();
    const entitlementId = await anEntitlement(player, await aWageredOffer());
    const betId = await playAndSettle(player, entitlementId, 0);

    await expectEventually(() =>
      expect(events('bet.settled', 'bet_id', betId).map((event) => event.payload)).toEqual([
        expect.objectContaining({ win: eur(0), wallet_transaction_id: null, credited_as: 'bonus_grant' }),
      ]),
    );
    // A later win of the same player is granted: the zero win was read and skipped, not left behind it.
    const later = await playAndSettle(player, entitlementId, 50);
    await expectEventually(async () => expect(await grantsOf(later)).toHaveLength(1));
    expect(await grantsOf(betId)).toEqual([]);
    expect(await fleet.wallet.admin.ledger({ tenantId: TENANT, betId })).toEqual([]);
    await expectEventually(async () =>
      expect(await fleet.wallet.admin.balance(TENANT, player.playerId)).toEqual({
        cash: eur(0),
        bonus: eur(50),
      }),
    );
  });

  it('grants nothing to a player self-excluded after the spin, and records the win as read', async () => {
    const player = await aPlayer();
    const entitlementId = await anEntitlement(player, await aWageredOffer());
    const betId = await playAndSettle(player, entitlementId, 120, async () => {
      // bonus-grant's own record of the exclusion, as its rg.v1 consumer leaves it.
      await db.pool.query(
        `INSERT INTO grant_players (tenant_id, player_id, self_excluded) VALUES ($1, $2, true)
           ON CONFLICT (tenant_id, player_id) DO UPDATE SET self_excluded = true`,
        [TENANT, player.playerId],
      );
    });

    await expectEventually(() => expect(events('bet.settled', 'bet_id', betId)).toHaveLength(1));
    const [settled] = events('bet.settled', 'bet_id', betId) as [EventEnvelope];
    await expectEventually(async () => {
      const { rowCount } = await db.pool.query(
        `SELECT 1 FROM inbox WHERE consumer = 'bonus-grant-entitlement-wins' AND event_id = $1`,
        [settled.event_id],
      );
      expect(rowCount).toBe(1);
    });
    expect(await grantsOf(betId)).toEqual([]);
    expect(await fleet.wallet.admin.ledger({ tenantId: TENANT, betId })).toEqual([]);
    expect(await fleet.wallet.admin.balance(TENANT, player.playerId)).toEqual({
      cash: eur(0),
      bonus: eur(0),
    });
  });
});
