import { type SettledBetFacts, type WageringBase } from './wagering-terms';

/** An active grant of the player, as the routing needs it. */
export interface ActiveGrant {
  readonly grantId: string;
  readonly base: WageringBase;
  /** ISO-8601: when it became active. */
  readonly activeFrom: string;
}

/**
 * One bet feeds one grant: the grant it was placed against; else the player's oldest active grant whose base
 * counts every bet (deposit_plus_bonus); else, for a stake the wallet took from bonus money, the oldest
 * bonus-based one; null when none. Every other active grant records the bet with OTHER_GRANT, so its receipts
 * say why it did not move (with null, each grant judges the bet itself: FUNDED_BY_CASH for a cash stake).
 */
export function feedingGrantOf(bet: SettledBetFacts, grants: readonly ActiveGrant[]): string | null {
  if (bet.bonusGrantId !== null) return bet.bonusGrantId;
  const oldest = (base: WageringBase) =>
    grants
      .filter((grant) => grant.base === base)
      .sort((a, b) => a.activeFrom.localeCompare(b.activeFrom) || a.grantId.localeCompare(b.grantId))[0]
      ?.grantId ?? null;
  const byBonus = bet.fundedBy === 'bonus' || bet.fundedBy === 'mixed';
  return oldest('deposit_plus_bonus') ?? (byBonus ? oldest('bonus') : null);
}

/** Whether `grantId` counts the bet: it is the one fed, or no grant is and each judges the bet itself. */
export function feedsGrant(feeding: string | null, grantId: string): boolean {
  return feeding === null || feeding === grantId;
}
