/** A game's bet movements of one day and currency, summed from the mirror ledger. */
export interface GameMovements {
  readonly gameId: string;
  readonly currency: string;
  readonly bets: number;
  /** Stakes debited, minor units. */
  readonly debited: number;
  /** Stakes returned by rollbacks, minor units. */
  readonly rolledBack: number;
  /** Wins credited, minor units. */
  readonly credited: number;
}

/** Promo movements of one day and currency: bonus money turned cash is what the bonus cost the operator. */
export interface BonusMovements {
  readonly currency: string;
  readonly converted: number;
}

export interface GgrLine {
  /** The game, or `ALL` for the currency's total line. */
  readonly gameId: string;
  readonly currency: string;
  readonly bets: number;
  readonly stakes: number;
  readonly wins: number;
  /** stakes − wins. */
  readonly ggr: number;
  /** Conversions of the day: on the ALL line only (a conversion belongs to no game). */
  readonly bonusCost: number;
  /** ggr − bonusCost. */
  readonly ngr: number;
  /** wins / stakes; null when nothing was staked. */
  readonly rtp: number | null;
}

export interface GgrReport {
  readonly tenantId: string;
  readonly date: string;
  /** Per currency: its games by id, then its ALL line. Currencies in code order. */
  readonly lines: readonly GgrLine[];
}

export const ALL_GAMES = 'ALL';

/**
 * The day's GGR / NGR of a tenant per game and currency, in integer minor units: stakes are what was debited less
 * what rollbacks returned, wins what was credited; bonus cost (bonus converted into cash) is per currency, so it
 * lowers the NGR of the ALL line, where game lines have NGR = GGR.
 */
export function ggrReport(
  tenantId: string,
  date: string,
  games: readonly GameMovements[],
  bonuses: readonly BonusMovements[],
): GgrReport {
  const currencies = [
    ...new Set([...games.map((g) => g.currency), ...bonuses.map((b) => b.currency)]),
  ].sort();
  const lines = currencies.flatMap((currency) => {
    const gameLines = games
      .filter((g) => g.currency === currency)
      .sort((a, b) => a.gameId.localeCompare(b.gameId))
      .map((g) => line(g.gameId, currency, g.bets, g.debited - g.rolledBack, g.credited, 0));
    const bonusCost = bonuses.filter((b) => b.currency === currency).reduce((sum, b) => sum + b.converted, 0);
    const sum = (pick: (l: GgrLine) => number) => gameLines.reduce((total, l) => total + pick(l), 0);
    return [
      ...gameLines,
      line(
        ALL_GAMES,
        currency,
        sum((l) => l.bets),
        sum((l) => l.stakes),
        sum((l) => l.wins),
        bonusCost,
      ),
    ];
  });
  return { tenantId, date, lines };
}

function line(
  gameId: string,
  currency: string,
  bets: number,
  stakes: number,
  wins: number,
  bonusCost: number,
) {
  const ggr = stakes - wins;
  return {
    gameId,
    currency,
    bets,
    stakes,
    wins,
    ggr,
    bonusCost,
    ngr: ggr - bonusCost,
    rtp: stakes > 0 ? wins / stakes : null,
  };
}
