/** A rule of a licence's policy that an offer (at publish) or a grant to a player (at grant time) breaks. */
export interface JurisdictionViolation {
  readonly licence: string;
  /** Stable rule code, e.g. GB_WAGERING_ABOVE_10X (docs/promo.md lists them). */
  readonly rule: string;
  /** The policy version the rule belongs to. */
  readonly policy_version: number;
  readonly reason: string;
}

export interface JurisdictionCheck {
  readonly compliant: boolean;
  readonly violations: readonly JurisdictionViolation[];
  /** Licence → the policy version in force that was checked. */
  readonly policy_versions: Readonly<Record<string, number>>;
}

/** A grant-time check's extra facts: the player's history with the licensee that the grants saga knows. */
export interface PlayerGrantHistory {
  /** Bonuses the player was granted before (any offer of the tenant); SE allows a bonus only at the first. */
  readonly prior_grants: number;
}
