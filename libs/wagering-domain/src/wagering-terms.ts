/** The currency-tagged integer amount every wagering figure is. */
export interface Money {
  readonly minor_units: number;
  readonly currency: string;
}

export type WageringBase = 'bonus' | 'deposit_plus_bonus';

/** A grant's wagering terms, as its `bonus.issued` said (the offer version's, pinned at publish). */
export interface WageringTerms {
  readonly grantId: string;
  readonly playerId: string;
  readonly required: Money;
  readonly base: WageringBase;
  readonly schemaId: string | null;
  readonly schemaVersion: number | null;
  readonly maxBet: Money | null;
  /** ISO-8601: when the grant became active (its bonus.issued); bets before it do not count. */
  readonly activeFrom: string;
  /** ISO-8601 end of the wagering window (or of the grant's validity), null: open. */
  readonly windowEndsAt: string | null;
  readonly excludedGames: readonly string[];
}

/** Why a considered bet contributed nothing. */
export const ZeroReason = {
  GameExcluded: 'GAME_EXCLUDED',
  AboveMaxBet: 'ABOVE_MAX_BET',
  OutsideWindow: 'OUTSIDE_WINDOW',
  FundedByCash: 'FUNDED_BY_CASH',
  OtherGrant: 'OTHER_GRANT',
  RolledBack: 'ROLLED_BACK',
  CurrencyMismatch: 'CURRENCY_MISMATCH',
} as const;
export type ZeroReason = (typeof ZeroReason)[keyof typeof ZeroReason];

/** What wagering knows of one settled bet (from bet.settled and its envelope). */
export interface SettledBetFacts {
  readonly betId: string;
  readonly stake: Money;
  readonly gameId: string | null;
  readonly provider: string | null;
  readonly gameType: string | null;
  /** cash, bonus or mixed; null when the wallet's answer was not recorded (counted as cash). */
  readonly fundedBy: string | null;
  /** The grant the bet was placed against (null: a cash bet). */
  readonly bonusGrantId: string | null;
  /**
   * ISO-8601 time of the bet as wagering judges it (the settled result's occurred_at: bet.settled does not carry
   * the placement time; bets settle within their round).
   */
  readonly at: string;
}
