import {
  type BetRolledBack,
  type BetSettled,
  type BonusIssued,
  type EventEnvelope,
} from '@pitboss/contracts';
import { type SettledBetFacts, type WageringTerms } from '@pitboss/wagering-domain';

/**
 * A settled result as wagering judges it; null when it carries no stake (published before settle-worker filled
 * the bet's facts): such a bet cannot be counted and is left out.
 */
export function settledBetOf(envelope: EventEnvelope<BetSettled>): SettledBetFacts | null {
  const settled = envelope.payload;
  if (settled.stake === null || settled.stake === undefined) return null;
  return {
    betId: settled.bet_id,
    stake: settled.stake,
    gameId: settled.game_id ?? null,
    provider: settled.provider ?? null,
    gameType: settled.game_type ?? null,
    fundedBy: settled.funded_by ?? null,
    bonusGrantId: settled.bonus_grant_id ?? null,
    at: new Date(envelope.occurred_at).toISOString(),
  };
}

export function rolledBackBetOf(envelope: EventEnvelope<BetRolledBack>): {
  readonly betId: string;
  readonly bonusGrantId: string | null;
} {
  return { betId: envelope.payload.bet_id, bonusGrantId: envelope.payload.bonus_grant_id ?? null };
}

/** The wagering terms of a bonus.issued; null for a grant without a wagering requirement (cash on issue). */
export function wageringTermsOf(envelope: EventEnvelope<BonusIssued>): WageringTerms | null {
  const issued = envelope.payload;
  const required = issued.wagering_required ?? null;
  if (required === null || required.minor_units <= 0 || envelope.player_id === null) return null;
  const windowEnd = issued.wagering_ends_at ?? issued.expires_at ?? null;
  return {
    grantId: issued.grant_id,
    playerId: envelope.player_id,
    required,
    base: issued.wagering_base === 'bonus' ? 'bonus' : 'deposit_plus_bonus',
    schemaId: issued.contribution_schema_id ?? null,
    schemaVersion: issued.contribution_schema_version ?? null,
    maxBet: issued.max_bet ?? null,
    activeFrom: new Date(envelope.occurred_at).toISOString(),
    windowEndsAt: windowEnd === null ? null : new Date(windowEnd).toISOString(),
    excludedGames: issued.excluded_games ?? [],
  };
}
