import { type Money } from './money';

/** A game's certified maths: a version is certified once and frozen; a change of RTP is a new version. */
export interface MathVersion {
  readonly version: string;
  /** Certified return to player in basis points (9650 = 96.50 %). */
  readonly certified_rtp_bp: number;
  /** The corridor the measured RTP must stay in, basis points. */
  readonly rtp_corridor_bp: { readonly min: number; readonly max: number };
  /** The test lab's certificate reference. */
  readonly certificate: string;
}

export interface StakeLimit {
  readonly currency: string;
  readonly min_minor_units: number;
  readonly max_minor_units: number;
}

/**
 * One version of a game's configuration in one region (bet-gateway's, changed through four-eyes change
 * requests, every change a new immutable version). A game without any version keeps the behaviour of before
 * configs existed: no limits, no geo-bans, every feature allowed, no math version on its bets.
 */
export interface GameConfig {
  readonly game_id: string;
  readonly region: string;
  /** Per currency; a currency not listed is refused once any limit is set. Empty: no limits. */
  readonly stake_limits: readonly StakeLimit[];
  /** Coin values in minor units; a stake must be a whole multiple of one of them. Empty: any stake. */
  readonly denominations: readonly number[];
  /** ISO 3166-1 alpha-2 countries whose players may not play it. */
  readonly geo_bans: readonly string[];
  /** Feature flags (`bonus_buy`, `new_rtp_pool`, …); a feature not listed is off. */
  readonly features: Readonly<Record<string, boolean>>;
  readonly math: MathVersion | null;
}

/** What a bet asks of its game's configuration. */
export interface BetUnderConfig {
  readonly amount: Money;
  /** The session's country, when it was given at open. */
  readonly country: string | null;
  /** Features the bet uses (e.g. `bonus_buy`). */
  readonly features: readonly string[];
}
