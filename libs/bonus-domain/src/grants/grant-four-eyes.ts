import { type Money } from './grant-money';

/**
 * Why a grant request waits for a second person instead of being issued:
 * - `manual`: a promo manager's manual adjustment of a player's bonus money (trigger `manual`), whatever its size;
 * - `above_threshold`: the computed bonus is above the tenant's four-eyes amount.
 */
export type GrantHoldReason = 'manual' | 'above_threshold';

export interface GrantFourEyesInput {
  readonly trigger: string;
  /** The bonus the grant would give (its terms computed from the offer). */
  readonly amount: Money;
  /** The tenant's four-eyes amount in minor units of the grant's currency; null: no threshold. */
  readonly thresholdMinor: number | null;
}

/** Null when the grant may be issued by one person; otherwise why it needs an approval. */
export function grantHoldReason(input: GrantFourEyesInput): GrantHoldReason | null {
  if (input.trigger === 'manual') return 'manual';
  if (input.thresholdMinor !== null && input.amount.minor_units > input.thresholdMinor)
    return 'above_threshold';
  return null;
}
