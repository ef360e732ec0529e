import { randomUUID } from 'node:crypto';

import { type EventEnvelope } from '@pitboss/contracts';
import { eventStoreMigrations, processOnce } from '@pitboss/event-store';
import { createTestSchema, type TestSchema } from '@pitboss/testing';

import { bonusGrantMigrations } from '../bonus-grant-migrations';
import { PLAYER_FACTS_CONSUMER } from './player-facts.consumer';
import { recordPlayerFact } from './player-facts.handler';
import { PlayerFactsReader } from './player-facts.reader';

const TENANT = 'brand-a';
const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');

function envelope(
  playerId: string,
  eventType: string,
  occurredAt: number,
  payload: Record<string, unknown>,
): EventEnvelope {
  return {
    event_id: randomUUID(),
    event_type: eventType,
    event_version: 1,
    occurred_at: occurredAt,
    tenant_id: TENANT,
    region: 'local',
    player_id: playerId,
    session_id: null,
    round_id: null,
    trace_id: null,
    causation_id: null,
    idempotency_key: null,
    payload,
  };
}

const profile = (playerId: string, at: number, kyc: number) =>
  envelope(playerId, 'player.profile_changed', at, {
    brand: '',
    country: 'gb',
    licence: 'GB',
    kyc_level: kyc,
    segments: ['vip'],
    channel: 'mobile',
    account_created_at: T0 - 90 * DAY,
    closed_at: null,
  });
const deposit = (playerId: string, depositId: string, capturedAt: number) =>
  envelope(playerId, 'deposit.captured', capturedAt, {
    deposit_id: depositId,
    amount: { minor_units: 1_000, currency: 'GBP' },
    method: 'card',
    psp: 'test',
    captured_at: capturedAt,
  });

/** The read models on real Postgres, events in whatever order and as often as Kafka delivers them. */
describe('player facts read models', () => {
  let db: TestSchema;
  let reader: PlayerFactsReader;

  beforeAll(async () => {
    db = await createTestSchema([...eventStoreMigrations, ...bonusGrantMigrations], 'bgfacts');
    reader = new PlayerFactsReader(db.pool);
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
  });

  // Each event once, as the group's inbox records it (the transport claims a batch's rows the same way).
  const consume = (event: EventEnvelope) =>
    processOnce(
      db.pool,
      {
        consumer: PLAYER_FACTS_CONSUMER,
        eventId: event.event_id,
        eventType: event.event_type,
        sourceTopic: 'test',
      },
      (tx) => recordPlayerFact(event, tx),
    );

  it('given a newer profile, when an older one arrives late, then the newer stays; a redelivery changes nothing', async () => {
    const playerId = `p-${randomUUID().slice(0, 8)}`;
    const newer = profile(playerId, T0 + 2_000, 2);
    expect(await consume(newer)).toBe('processed');
    expect(await consume(profile(playerId, T0 + 1_000, 1))).toBe('processed');
    expect(await consume(newer)).toBe('duplicate');

    expect(await reader.find(TENANT, playerId, new Date(T0))).toEqual({
      tenant_id: TENANT,
      player_id: playerId,
      brand: TENANT,
      country: 'GB',
      licence: 'GB',
      kyc_level: 2,
      segments: ['vip'],
      channel: 'mobile',
      account_created_at: new Date(T0 - 90 * DAY).toISOString(),
      closed: false,
      self_excluded: false,
      blocked: false,
      first_deposit_id: null,
    });
  });

  it('given deposits out of order, when recorded, then the earliest captured is the first deposit', async () => {
    const playerId = `p-${randomUUID().slice(0, 8)}`;
    await consume(profile(playerId, T0, 2));
    await consume(deposit(playerId, 'dep-later', T0 + 5_000));
    await consume(deposit(playerId, 'dep-earlier', T0 + 1_000));
    await consume(deposit(playerId, 'dep-latest', T0 + 9_000));
    expect((await reader.find(TENANT, playerId, new Date(T0)))?.first_deposit_id).toBe('dep-earlier');
  });

  it('given a self-exclusion, when it ends or runs out, then the player is no longer self-excluded; blocks are their own state', async () => {
    const playerId = `p-${randomUUID().slice(0, 8)}`;
    await consume(profile(playerId, T0, 2));
    await consume(
      envelope(playerId, 'player.self_excluded', T0 + 1_000, { excluded_until: T0 + 10 * DAY, reason: '' }),
    );
    await consume(envelope(playerId, 'player.blocked', T0 + 1_500, { reason: '' }));
    expect(await reader.find(TENANT, playerId, new Date(T0 + DAY))).toMatchObject({
      self_excluded: true,
      blocked: true,
    });
    expect(await reader.find(TENANT, playerId, new Date(T0 + 11 * DAY))).toMatchObject({
      self_excluded: false,
    });

    // The end arrives before a late copy of the exclusion's older state: the end stays.
    await consume(envelope(playerId, 'player.self_exclusion_ended', T0 + 3_000, { reason: '' }));
    await consume(
      envelope(playerId, 'player.self_excluded', T0 + 2_000, { excluded_until: null, reason: '' }),
    );
    await consume(envelope(playerId, 'player.unblocked', T0 + 4_000, { reason: '' }));
    expect(await reader.find(TENANT, playerId, new Date(T0 + DAY))).toMatchObject({
      self_excluded: false,
      blocked: false,
    });
  });

  it('given facts but no profile, when read, then the player is unknown', async () => {
    const playerId = `p-${randomUUID().slice(0, 8)}`;
    await consume(deposit(playerId, 'dep-1', T0));
    expect(await reader.find(TENANT, playerId)).toBeNull();
  });
});
