/** Responsible-gaming and operator state of a player, as the gateway's read model of `rg.v1` holds it. */
export interface PlayerRestrictions {
  readonly blocked: boolean;
  /** null: not self-excluded; a date: excluded until then; `indefinite`: until the regulator's process ends it. */
  readonly selfExcludedUntil: Date | 'indefinite' | null;
}

export const NO_RESTRICTIONS: PlayerRestrictions = { blocked: false, selfExcludedUntil: null };

export function isSelfExcluded(restrictions: PlayerRestrictions, now: Date): boolean {
  const until = restrictions.selfExcludedUntil;
  if (until === null) return false;
  return until === 'indefinite' || now.getTime() < until.getTime();
}
