import { PitbossError } from '@pitboss/contracts';

import { type BetUnderConfig, type GameConfig } from './game-config';

/**
 * Checks a bet against its game's current configuration and answers the math version it is played under.
 * No configuration: nothing to check and no math version (today's behaviour for unconfigured games).
 * A game with geo-bans refuses a session opened without a country: the ban cannot be checked, so it fails closed.
 */
export function mathVersionForBet(config: GameConfig | null, bet: BetUnderConfig): string | null {
  if (config === null) return null;
  assertCountryAllowed(config, bet.country);
  for (const feature of bet.features) {
    // eslint-disable-next-line security/detect-object-injection -- feature is a GameFeature, a key of features by type
    if (config.features[feature] !== true) {
      throw new PitbossError('FEATURE_DISABLED', `feature ${feature} is off for game ${config.game_id}`, {
        feature,
      });
    }
  }
  assertStakeWithinLimits(config, bet);
  return config.math?.version ?? null;
}

function assertCountryAllowed(config: GameConfig, country: string | null): void {
  if (config.geo_bans.length === 0) return;
  if (country === null) {
    throw new PitbossError(
      'GEO_BLOCKED',
      `game ${config.game_id} is banned in some countries and the session was opened without a country`,
    );
  }
  if (config.geo_bans.includes(country)) {
    throw new PitbossError('GEO_BLOCKED', `game ${config.game_id} may not be played from ${country}`, {
      country,
    });
  }
}

function assertStakeWithinLimits(config: GameConfig, { amount }: BetUnderConfig): void {
  const stake = amount.minor_units;
  if (config.stake_limits.length > 0) {
    const limit = config.stake_limits.find((candidate) => candidate.currency === amount.currency);
    if (limit === undefined) {
      throw new PitbossError(
        'STAKE_OUT_OF_LIMITS',
        `game ${config.game_id} has no stake limits for ${amount.currency}`,
      );
    }
    if (stake < limit.min_minor_units || stake > limit.max_minor_units) {
      throw new PitbossError(
        'STAKE_OUT_OF_LIMITS',
        `stake ${stake} is outside ${limit.min_minor_units}..${limit.max_minor_units} ${amount.currency}`,
        { min: limit.min_minor_units, max: limit.max_minor_units },
      );
    }
  }
  if (config.denominations.length > 0 && !config.denominations.some((coin) => stake % coin === 0)) {
    throw new PitbossError(
      'STAKE_OUT_OF_LIMITS',
      `stake ${stake} is not a multiple of the game's denominations ${config.denominations.join(', ')}`,
      { denominations: config.denominations },
    );
  }
}
