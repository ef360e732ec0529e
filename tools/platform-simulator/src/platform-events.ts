import { randomUUID } from 'node:crypto';

import { type EventEnvelope, messageKeyOf, TOPICS } from '@pitboss/contracts';

/** One event as the platform would send it: the logical topic and the envelope. */
export interface PlatformEvent {
  readonly topic: string;
  readonly envelope: EventEnvelope;
}

export interface PlayerProfile {
  readonly tenantId: string;
  readonly playerId: string;
  readonly brand?: string;
  readonly country: string;
  readonly licence: string;
  readonly kycLevel: number;
  readonly segments?: readonly string[];
  readonly channel?: string;
  readonly accountCreatedAt: Date;
  readonly closedAt?: Date | null;
}

export interface Deposit {
  readonly tenantId: string;
  readonly playerId: string;
  readonly depositId: string;
  readonly minorUnits: number;
  readonly currency: string;
  readonly method?: string;
  readonly psp?: string;
  readonly capturedAt: Date;
}

/** players.v1 player.profile_changed: the profile in full, as the platform publishes it on every change. */
export function profileChanged(profile: PlayerProfile, region = 'local'): PlatformEvent {
  return platformEvent(
    TOPICS.players.name,
    'player.profile_changed',
    profile.tenantId,
    profile.playerId,
    region,
    {
      brand: profile.brand ?? '',
      country: profile.country.toUpperCase(),
      licence: profile.licence.toUpperCase(),
      kyc_level: profile.kycLevel,
      segments: [...(profile.segments ?? [])],
      channel: profile.channel ?? 'web',
      account_created_at: profile.accountCreatedAt.getTime(),
      closed_at: profile.closedAt ? profile.closedAt.getTime() : null,
    },
  );
}

/** payments.deposits.v1 deposit.captured. */
export function depositCaptured(deposit: Deposit, region = 'local'): PlatformEvent {
  return platformEvent(TOPICS.deposits.name, 'deposit.captured', deposit.tenantId, deposit.playerId, region, {
    deposit_id: deposit.depositId,
    amount: { minor_units: deposit.minorUnits, currency: deposit.currency },
    method: deposit.method ?? 'card',
    psp: deposit.psp ?? 'simulator',
    captured_at: deposit.capturedAt.getTime(),
  });
}

/** rg.v1 player.self_excluded (null: indefinitely). */
export function selfExcluded(
  tenantId: string,
  playerId: string,
  until: Date | null,
  region = 'local',
): PlatformEvent {
  return platformEvent(TOPICS.responsibleGaming.name, 'player.self_excluded', tenantId, playerId, region, {
    excluded_until: until === null ? null : until.getTime(),
    reason: 'platform simulator',
  });
}

function platformEvent(
  topic: string,
  eventType: string,
  tenantId: string,
  playerId: string,
  region: string,
  payload: Record<string, unknown>,
): PlatformEvent {
  return {
    topic,
    envelope: {
      event_id: randomUUID(),
      event_type: eventType,
      event_version: 1,
      occurred_at: Date.now(),
      tenant_id: tenantId,
      region,
      player_id: playerId,
      session_id: null,
      round_id: null,
      trace_id: null,
      causation_id: null,
      idempotency_key: null,
      payload,
    },
  };
}

/** The Kafka message key the platform uses: `tenant_id:player_id`, so a player's events stay in order. */
export function keyOf(event: PlatformEvent): string {
  return messageKeyOf(event.envelope);
}
