import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pitboss/contracts';
import { createPool } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';
import {
  authorizeBody,
  collectEvents,
  type EventCollector,
  expectEventually,
  type MoneyFleet,
  openTestPlayer,
  publishTestEvents,
  startMoneyFleet,
  type TestPlayer,
} from '@pitboss/testing';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });
jest.setTimeout(240_000);

/**
 * Entitlement bets (free spins / free bets) through the real gateway and settle-worker processes, the wallet
 * sandbox, Postgres, Kafka and the registry: the gateway learns entitlements from promo.grants.v1, takes one token
 * per bet_id without a debit, refuses every bad use changing nothing, credits a cash win through the normal settle
 * path and gives the token back on rollback.
 */
describe('bet-gateway entitlement bets', () => {
  let fleet: MoneyFleet;
  let rounds: EventCollector;
  let db: ReturnType<typeof createPool>;

  beforeAll(async () => {
    fleet = await startMoneyFleet({
      label: 'gwent',
      gatewayEnv: {
        IDEMPOTENCY_WAIT_MS: '0',
        RATE_LIMIT_SESSION_BURST: '200',
        DEGRADED_BACKLOG_SAMPLE_MS: '0',
      },
    });
    rounds = await collectEvents(fleet.topics, [TOPICS.rounds.name]);
    db = createPool({
      databaseUrl: infrastructureConfig().databaseUrl,
      schema: fleet.gatewaySchema,
      maxConnections: 2,
    });
  });

  afterAll(async () => {
    await db?.end();
    await rounds?.stop();
    await fleet?.stop();
  });

  /** Publishes entitlement.granted for the player and waits until the gateway's read model has it. */
  const anEntitlement = async (player: TestPlayer, overrides: Record<string, unknown> = {}) => {
    const entitlementId = `ent-${randomUUID()}`;
    await publishTestEvents(fleet.topics, [
      {
        topic: TOPICS.promoGrants.name,
        eventType: 'entitlement.granted',
        tenantId: fleet.tenantId,
        playerId: player.playerId,
        payload: {
          entitlement_id: entitlementId,
          offer_id: 'spins-20',
          kind: 'free_spins',
          count: 3,
          bet_value: eur(20),
          games: ['starburst'],
          win_credit: 'cash',
          expires_at: Date.now() + 86_400_000,
          ...overrides,
        },
      },
    ]);
    await expectEventually(async () => expect(await remainingOf(entitlementId)).not.toBeNull());
    return entitlementId;
  };
  const remainingOf = async (entitlementId: string): Promise<number | null> => {
    const { rows } = await db.query('SELECT remaining FROM bet_entitlements WHERE entitlement_id = $1', [
      entitlementId,
    ]);
    return (rows[0] as { remaining: number } | undefined)?.remaining ?? null;
  };
  const betOf = (player: TestPlayer, entitlementId: string, overrides: Record<string, unknown> = {}) =>
    authorizeBody(player, { entitlement_id: entitlementId, amount: eur(20), ...overrides });
  const authorize = (body: unknown) => fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() });
  const published = (betId: string) =>
    rounds.received
      .map(({ envelope }) => envelope)
      .filter((envelope) => (envelope.payload as { bet_id?: string }).bet_id === betId);
  const cashOf = async (player: TestPlayer) =>
    (await fleet.wallet.admin.balance(fleet.tenantId, player.playerId)).cash;

  it('takes one token once per bet_id, without a debit, and announces entitlement.consumed', async () => {
    const player = await openTestPlayer(fleet, { cash: 1_000 });
    const entitlementId = await anEntitlement(player);
    const body = betOf(player, entitlementId);
    // Eight concurrent calls of one bet under eight keys (the player's lane: 4 running, 4 waiting): one token.
    const answers = await Promise.all(Array.from({ length: 8 }, () => authorize(body)));
    for (const answer of answers)
      expect([answer.status, answer.body]).toEqual([
        200,
        { status: 'authorized', bet_id: body.bet_id, balance: null },
      ]);
    expect(await remainingOf(entitlementId)).toBe(2);
    expect(await fleet.wallet.admin.ledger({ betId: body.bet_id })).toEqual([]);
    expect(await cashOf(player)).toEqual(eur(1_000));
    await expectEventually(() =>
      expect(published(body.bet_id).map((event) => [event.event_type, event.payload])).toEqual([
        [
          'entitlement.consumed',
          {
            bet_id: body.bet_id,
            entitlement_id: entitlementId,
            game_id: 'starburst',
            game_type: 'slot',
            bet_value: eur(20),
            remaining: 2,
            win_credit: 'cash',
            provider: null,
          },
        ],
      ]),
    );
    // The same bet_id with another entitlement is another bet: refused, nothing taken.
    const other = await anEntitlement(player);
    const reused = await authorize({ ...body, entitlement_id: other });
    expect([reused.status, reused.body.error?.code]).toEqual([422, 'DUPLICATE_BET_ID']);
    expect(await remainingOf(other)).toBe(3);
  });

  it('refuses every bad use with its code and takes nothing', async () => {
    const player = await openTestPlayer(fleet, { cash: 1_000 });
    const stranger = await openTestPlayer(fleet, { cash: 1_000 });
    const entitlementId = await anEntitlement(player);
    const single = await anEntitlement(player, { count: 1 });
    const expired = await anEntitlement(player, { expires_at: Date.now() - 1_000 });
    const elsewhere = await anEntitlement(player, { games: ['book-of-dead'] });
    expect((await authorize(betOf(player, single))).status).toBe(200);

    const cases: [Record<string, unknown>, string, Record<string, unknown>][] = [
      [betOf(player, `ent-${randomUUID()}`), 'ENTITLEMENT_NOT_AVAILABLE', {}],
      [betOf(stranger, entitlementId), 'ENTITLEMENT_NOT_AVAILABLE', {}],
      [betOf(player, single), 'ENTITLEMENT_NOT_AVAILABLE', {}],
      [betOf(player, expired), 'ENTITLEMENT_EXPIRED', { expires_at: expect.any(String) }],
      [betOf(player, elsewhere), 'GAME_NOT_ELIGIBLE', { game_id: 'starburst', games: ['book-of-dead'] }],
      [
        betOf(player, entitlementId, { amount: eur(21) }),
        'ENTITLEMENT_STAKE_MISMATCH',
        { bet_value: eur(20) },
      ],
      [betOf(player, entitlementId, { bonus_grant_id: 'g-1' }), 'INVALID_REQUEST', {}],
    ];
    for (const [body, code, details] of cases) {
      const answer = await authorize(body);
      expect([answer.status, answer.body.error]).toEqual([
        code === 'INVALID_REQUEST' ? 400 : 422,
        expect.objectContaining({ code, ...details }),
      ]);
      const betId = body['bet_id'] as string;
      expect((await db.query('SELECT 1 FROM bet_index WHERE bet_id = $1', [betId])).rowCount).toBe(0);
    }
    expect(await remainingOf(entitlementId)).toBe(3);
    expect(await remainingOf(single)).toBe(0);
    expect(await remainingOf(expired)).toBe(3);
    expect(await remainingOf(elsewhere)).toBe(3);
    expect(await cashOf(player)).toEqual(eur(1_000));
    expect(await cashOf(stranger)).toEqual(eur(1_000));
  });

  it('credits a cash win through the normal settle path, and only the win moves money', async () => {
    const player = await openTestPlayer(fleet, { cash: 1_000 });
    const entitlementId = await anEntitlement(player);
    const body = betOf(player, entitlementId);
    expect((await authorize(body)).status).toBe(200);
    const settle = await fleet.http.post(
      '/v1/bets/settle',
      { bet_id: body.bet_id, round_id: body.round_id, win: eur(500) },
      { key: randomUUID() },
    );
    expect(settle.status).toBe(202);
    await expectEventually(async () => expect(await cashOf(player)).toEqual(eur(1_500)));
    const ledger = await fleet.wallet.admin.ledger({ betId: body.bet_id });
    expect(ledger.map((entry) => [entry.kind, entry.cash_delta_minor_units])).toEqual([['credit', 500]]);
  });

  it('gives the token back on rollback, at once and once, with no wallet call', async () => {
    const player = await openTestPlayer(fleet, { cash: 1_000 });
    const entitlementId = await anEntitlement(player);
    const body = betOf(player, entitlementId);
    expect((await authorize(body)).status).toBe(200);
    expect(await remainingOf(entitlementId)).toBe(2);
    for (let i = 0; i < 2; i++) {
      const rollback = await fleet.http.post(
        '/v1/bets/rollback',
        { bet_id: body.bet_id, reason: 'round cancelled' },
        { key: randomUUID() },
      );
      expect([rollback.status, rollback.body]).toEqual([200, { status: 'rolled_back', bet_id: body.bet_id }]);
    }
    expect(await remainingOf(entitlementId)).toBe(3);
    await expectEventually(() =>
      expect(published(body.bet_id).map((event) => event.event_type)).toEqual([
        'entitlement.consumed',
        'entitlement.restored',
      ]),
    );
    const again = await authorize(body);
    expect([again.status, again.body.error?.code]).toEqual([409, 'BET_ALREADY_ROLLED_BACK']);
    expect(await fleet.wallet.admin.ledger({ betId: body.bet_id })).toEqual([]);
    expect(await remainingOf(entitlementId)).toBe(3);
  });
});
