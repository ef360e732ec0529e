/**
 * When a change needs a second person. Per kind of change:
 * - `always`: every change waits for an approval;
 * - `above_amount`: only changes whose amount (minor units, as the kind measures it) is above the threshold;
 * - `unless_only_disabling`: a change that only turns risky features off applies at once (a kill switch must
 *   not wait for a second person), anything else waits.
 */
export type FourEyesRule =
  | { readonly type: 'always' }
  | { readonly type: 'above_amount'; readonly minorUnits: number }
  | { readonly type: 'unless_only_disabling' };

export interface ChangePolicy {
  readonly kind: string;
  /** The scope a principal needs to propose a change of this kind. */
  readonly proposeScope: string;
  /** The scope the second person needs to approve it. */
  readonly approveScope: string;
  readonly rule: FourEyesRule;
}

/** What the kind's handler measured about one proposed change. */
export interface ChangeFacts {
  /** The amount the change is about, for `above_amount` rules; absent when the kind has none. */
  readonly amountMinorUnits?: number;
  /** True when the change does nothing but turn features off. */
  readonly onlyDisables: boolean;
}

export function needsSecondPerson(rule: FourEyesRule, facts: ChangeFacts): boolean {
  switch (rule.type) {
    case 'always':
      return true;
    case 'above_amount':
      // A kind that measures no amount is treated as above any threshold: fail towards review.
      return facts.amountMinorUnits === undefined || facts.amountMinorUnits > rule.minorUnits;
    case 'unless_only_disabling':
      return !facts.onlyDisables;
  }
}
