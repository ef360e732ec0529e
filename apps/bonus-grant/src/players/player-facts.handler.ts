import {
  type ContributionSchemaPublished,
  type DepositCaptured,
  type EventEnvelope,
  type PlayerProfileChanged,
  type PlayerSelfExcluded,
} from '@pitboss/contracts';
import { type Transaction } from '@pitboss/event-store';

/**
 * One inbound fact into bonus-grant's read models, in the caller's transaction (the consumer's inbox row commits
 * with it). Every write is order-tolerant: Kafka orders a player's events only within one topic, and a consumer
 * can be rebuilt from the first event, so each row keeps the newest fact by the event's time (a profile, an rg
 * state) or the earliest (the first deposit). Events of other types are ignored.
 */
export async function recordPlayerFact(envelope: EventEnvelope, tx: Transaction): Promise<void> {
  const at = new Date(envelope.occurred_at);
  const tenantId = envelope.tenant_id;
  const playerId = envelope.player_id;
  switch (envelope.event_type) {
    case 'player.profile_changed':
      if (playerId)
        await recordProfile(tx, tenantId, playerId, at, envelope.payload as unknown as PlayerProfileChanged);
      return;
    case 'player.self_excluded': {
      const excluded = envelope.payload as unknown as PlayerSelfExcluded;
      if (playerId) await recordSelfExclusion(tx, tenantId, playerId, at, true, excluded.excluded_until);
      return;
    }
    case 'player.self_exclusion_ended':
      if (playerId) await recordSelfExclusion(tx, tenantId, playerId, at, false, null);
      return;
    case 'player.blocked':
    case 'player.unblocked':
      if (playerId) await recordBlock(tx, tenantId, playerId, at, envelope.event_type === 'player.blocked');
      return;
    case 'deposit.captured':
      if (playerId)
        await recordDeposit(tx, tenantId, playerId, envelope.payload as unknown as DepositCaptured);
      return;
    case 'contribution_schema.published': {
      const schema = envelope.payload as unknown as ContributionSchemaPublished;
      await tx.query(
        `INSERT INTO contribution_schemas (tenant_id, schema_id, version, published_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [tenantId, schema.schema_id, schema.version, at],
      );
      return;
    }
    default:
      return;
  }
}

async function recordProfile(
  tx: Transaction,
  tenantId: string,
  playerId: string,
  at: Date,
  profile: PlayerProfileChanged,
): Promise<void> {
  await tx.query(
    `INSERT INTO player_profiles (tenant_id, player_id, brand, country, licence, kyc_level, segments, channel,
       account_created_at, closed_at, profile_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (tenant_id, player_id) DO UPDATE SET
       brand = EXCLUDED.brand, country = EXCLUDED.country, licence = EXCLUDED.licence,
       kyc_level = EXCLUDED.kyc_level, segments = EXCLUDED.segments, channel = EXCLUDED.channel,
       account_created_at = EXCLUDED.account_created_at, closed_at = EXCLUDED.closed_at,
       profile_at = EXCLUDED.profile_at
     WHERE player_profiles.profile_at <= EXCLUDED.profile_at`,
    [
      tenantId,
      playerId,
      profile.brand === '' ? tenantId : profile.brand,
      profile.country.toUpperCase(),
      profile.licence.toUpperCase(),
      profile.kyc_level,
      profile.segments,
      profile.channel,
      new Date(profile.account_created_at),
      profile.closed_at === null ? null : new Date(profile.closed_at),
      at,
    ],
  );
}

async function recordSelfExclusion(
  tx: Transaction,
  tenantId: string,
  playerId: string,
  at: Date,
  excluded: boolean,
  excludedUntil: number | null,
): Promise<void> {
  await tx.query(
    `INSERT INTO player_rg_states (tenant_id, player_id, self_excluded, excluded_until, self_exclusion_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, player_id) DO UPDATE SET
       self_excluded = EXCLUDED.self_excluded, excluded_until = EXCLUDED.excluded_until,
       self_exclusion_at = EXCLUDED.self_exclusion_at
     WHERE player_rg_states.self_exclusion_at IS NULL OR player_rg_states.self_exclusion_at <= EXCLUDED.self_exclusion_at`,
    [tenantId, playerId, excluded, excludedUntil === null ? null : new Date(excludedUntil), at],
  );
}

async function recordBlock(
  tx: Transaction,
  tenantId: string,
  playerId: string,
  at: Date,
  blocked: boolean,
): Promise<void> {
  await tx.query(
    `INSERT INTO player_rg_states (tenant_id, player_id, blocked, block_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, player_id) DO UPDATE SET blocked = EXCLUDED.blocked, block_at = EXCLUDED.block_at
     WHERE player_rg_states.block_at IS NULL OR player_rg_states.block_at <= EXCLUDED.block_at`,
    [tenantId, playerId, blocked, at],
  );
}

async function recordDeposit(
  tx: Transaction,
  tenantId: string,
  playerId: string,
  deposit: DepositCaptured,
): Promise<void> {
  // The first deposit is the earliest captured; ties keep the one recorded first.
  await tx.query(
    `INSERT INTO player_first_deposits (tenant_id, player_id, deposit_id, captured_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, player_id) DO UPDATE SET deposit_id = EXCLUDED.deposit_id,
       captured_at = EXCLUDED.captured_at
     WHERE EXCLUDED.captured_at < player_first_deposits.captured_at`,
    [tenantId, playerId, deposit.deposit_id, new Date(deposit.captured_at)],
  );
}
