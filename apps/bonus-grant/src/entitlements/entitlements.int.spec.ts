import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pitboss/contracts';
import { expectEventually, publishTestEvents } from '@pitboss/testing';

import { offerTerms } from '../grants/grants.fixtures';
import {
  type EntitlementsHarness,
  GAMES,
  startEntitlementsHarness,
  TENANT,
} from './entitlements.int-harness';

jest.setTimeout(240_000);

/**
 * Entitlements end to end: the built bonus-grant as a process on its own schema and topics, real Keycloak tokens,
 * the outbox relayed to promo.grants.v1 (entitlement.granted decoded through the registry).
 */
describe('bonus-grant entitlements (real Kafka, registry, Postgres, Redis, Keycloak)', () => {
  let harness: EntitlementsHarness;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    harness = await startEntitlementsHarness();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const aPlayer = () => harness.aPlayer();
  const freeSpins: EntitlementsHarness['freeSpins'] = (params, overrides) =>
    harness.freeSpins(params, overrides);
  const anOffer = (terms?: Parameters<EntitlementsHarness['anOffer']>[0]) => harness.anOffer(terms);
  const post: EntitlementsHarness['post'] = (body, headers) => harness.post(body, headers);
  const listOf = (playerId: string) => harness.listOf(playerId);
  const published = (entitlementId: string) => harness.published(entitlementId);
  const rowsOf = (playerId: string) => harness.rowsOf(playerId);

  it('grants the offer’s free spins, announces entitlement.granted, audits it and lists it', async () => {
    const playerId = await aPlayer();
    const offerId = await anOffer();
    const key = randomUUID();
    const before = Date.now();
    const first = await post({ player_id: playerId, offer_id: offerId }, { 'x-idempotency-key': key });
    expect(first).toMatchObject({
      status: 201,
      body: {
        entitlement_id: expect.any(String),
        player_id: playerId,
        offer_id: offerId,
        offer_version: 1,
        kind: 'free_spins',
        count: 20,
        bet_value: { minor_units: 20, currency: 'EUR' },
        games: GAMES,
        win_credit: 'cash',
        status: 'active',
      },
    });
    const entitlementId = first.body['entitlement_id'] as string;
    const expiresAt = Date.parse(first.body['expires_at'] as string);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 7 * 86_400_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);

    await expectEventually(() =>
      expect(published(entitlementId)).toEqual([
        expect.objectContaining({
          event_type: 'entitlement.granted',
          tenant_id: TENANT,
          player_id: playerId,
          payload: {
            entitlement_id: entitlementId,
            offer_id: offerId,
            kind: 'free_spins',
            count: 20,
            bet_value: { minor_units: 20, currency: 'EUR' },
            games: GAMES,
            win_credit: 'cash',
            expires_at: expiresAt,
          },
        }),
      ]),
    );
    const audit = await harness.db.pool.query(
      'SELECT action, actor_subject, subject FROM audit_journal WHERE subject = $1',
      [`entitlement:${entitlementId}`],
    );
    expect(audit.rows).toEqual([
      {
        action: 'bonus.entitlement_granted',
        actor_subject: expect.any(String),
        subject: `entitlement:${entitlementId}`,
      },
    ]);
    expect(await listOf(playerId)).toEqual({
      player_id: playerId,
      entitlements: [
        expect.objectContaining({
          entitlement_id: entitlementId,
          remaining: 20,
          status: 'active',
          count: 20,
        }),
      ],
    });

    // The same key and body replay the answer; another body under the key is refused.
    const again = await post({ player_id: playerId, offer_id: offerId }, { 'x-idempotency-key': key });
    expect(again).toEqual({ ...first, replayed: 'true' });
    expect(
      await post({ player_id: playerId, offer_id: offerId, count: 1 }, { 'x-idempotency-key': key }),
    ).toMatchObject({ status: 422, body: { error: { code: 'IDEMPOTENCY_MISMATCH' } } });
    expect(await rowsOf(playerId)).toBe(1);
  });

  it('takes less than the offer when asked; gives an offer with wagering with its wins credited as bonus', async () => {
    const playerId = await aPlayer();
    const offerId = await anOffer();
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const answer = await post({
      player_id: playerId,
      offer_id: offerId,
      kind: 'free_spins',
      count: 5,
      bet_value_minor: 10,
      games: ['star-y'],
      expires_at: expiresAt,
    });
    expect(answer).toMatchObject({
      status: 201,
      body: {
        count: 5,
        bet_value: { minor_units: 10 },
        games: ['star-y'],
        win_credit: 'cash',
        expires_at: expiresAt,
      },
    });
    const wagered = await anOffer(
      freeSpins({ wager_x: 5, contribution_schema: { id: 'default', version: 1 } }),
    );
    expect(await post({ player_id: playerId, offer_id: wagered })).toMatchObject({
      status: 201,
      body: { offer_id: wagered, win_credit: 'bonus' },
    });
    expect(await rowsOf(playerId)).toBe(2);
  });

  it('follows the tokens left that bet-gateway reports on rgs.rounds.v1', async () => {
    const playerId = await aPlayer();
    const offerId = await anOffer(
      freeSpins({ free_rounds: { count: 2, bet_value_minor: 20, games: GAMES } }),
    );
    const granted = await post({ player_id: playerId, offer_id: offerId });
    const entitlementId = granted.body['entitlement_id'] as string;
    const use = (eventType: string, remaining: number, betId: string) => ({
      topic: TOPICS.rounds.name,
      eventType,
      tenantId: TENANT,
      playerId,
      payload:
        eventType === 'entitlement.consumed'
          ? {
              bet_id: betId,
              entitlement_id: entitlementId,
              game_id: GAMES[0],
              game_type: 'slot',
              bet_value: { minor_units: 20, currency: 'EUR' },
              remaining,
              win_credit: 'cash',
              provider: null,
            }
          : { bet_id: betId, entitlement_id: entitlementId, remaining, reason: 'round cancelled' },
    });
    const statusOf = async () => ((await listOf(playerId))['entitlements'] as Record<string, unknown>[])[0];
    await publishTestEvents(harness.topics, [
      use('entitlement.consumed', 1, 'b-1'),
      use('entitlement.consumed', 0, 'b-2'),
    ]);
    await expectEventually(async () =>
      expect(await statusOf()).toMatchObject({ remaining: 0, status: 'used_up' }),
    );
    await publishTestEvents(harness.topics, [use('entitlement.restored', 1, 'b-2')]);
    await expectEventually(async () =>
      expect(await statusOf()).toMatchObject({ remaining: 1, status: 'active' }),
    );
  });

  it('gives one entitlement per offer and trigger_ref, whoever retries under another key', async () => {
    const playerId = await aPlayer();
    const offerId = await anOffer();
    const body = { player_id: playerId, offer_id: offerId, trigger_ref: `campaign-${run}` };
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(body)));
    const ids = new Set(answers.map((answer) => answer.body['entitlement_id']));
    expect(ids.size).toBe(1);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(await rowsOf(playerId)).toBe(1);
  });

  it('refuses every bad request with its code and changes nothing', async () => {
    const playerId = await aPlayer();
    const offerId = await anOffer();
    const refused = async (body: Record<string, unknown>, status: number, code: string, extra = {}) =>
      expect(await post({ player_id: playerId, offer_id: offerId, ...body })).toMatchObject({
        status,
        body: { error: { code, ...extra } },
      });

    expect(await post({ player_id: playerId, offer_id: offerId }, { 'x-trace-id': '' })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_REQUEST' } },
    });
    expect(await post({ player_id: playerId, offer_id: offerId }, { 'x-idempotency-key': '' })).toMatchObject(
      {
        status: 400,
        body: { error: { code: 'IDEMPOTENCY_KEY_MISSING' } },
      },
    );
    await refused({ count: 0 }, 400, 'INVALID_REQUEST');
    await refused({ unknown: 1 }, 400, 'INVALID_REQUEST');
    await refused({ offer_id: 'nope' }, 404, 'OFFER_NOT_FOUND');
    await refused({ player_id: `p-${run}-nobody` }, 404, 'PLAYER_PROFILE_NOT_FOUND');
    await refused(
      {
        kind: 'free_bet',
        count: 21,
        bet_value_minor: 21,
        games: ['other-game'],
        expires_at: new Date(Date.now() + 8 * 86_400_000).toISOString(),
      },
      422,
      'ENTITLEMENT_OUTSIDE_OFFER',
      {
        fields: ['kind', 'count', 'bet_value_minor', 'games', 'expires_at'].map((field) =>
          expect.objectContaining({ field }),
        ),
      },
    );
    const match = await anOffer(offerTerms());
    await refused({ offer_id: match }, 422, 'OFFER_NOT_GRANTABLE');
    const paused = await anOffer();
    await harness.db.pool.query(
      `UPDATE offers SET status = 'paused' WHERE tenant_id = $1 AND offer_id = $2`,
      [TENANT, paused],
    );
    await refused({ offer_id: paused }, 422, 'OFFER_NOT_ACTIVE');
    const kyc = await anOffer(
      freeSpins({}, { eligibility: { ...offerTerms().eligibility, min_kyc_level: 3 } }),
    );
    await refused({ offer_id: kyc }, 422, 'PLAYER_NOT_ELIGIBLE', {
      failures: [expect.objectContaining({ code: 'KYC_LEVEL_TOO_LOW' })],
    });
    // The offer's budget pays 20 spins × 20 once; the second entitlement would exceed it.
    const budget = await anOffer(freeSpins({}, { limits: { ...offerTerms().limits, budget_minor: 500 } }));
    expect((await post({ player_id: playerId, offer_id: budget })).status).toBe(201);
    await refused({ offer_id: budget }, 422, 'OFFER_BUDGET_EXHAUSTED');
    expect(await rowsOf(playerId)).toBe(1);

    const excluded = await aPlayer();
    await harness.db.pool.query(
      `INSERT INTO grant_players (tenant_id, player_id, self_excluded) VALUES ($1, $2, true)`,
      [TENANT, excluded],
    );
    await refused({ player_id: excluded }, 403, 'SELF_EXCLUDED');
    expect(await rowsOf(excluded)).toBe(0);
  });
});
