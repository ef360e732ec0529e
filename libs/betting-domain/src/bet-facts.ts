import { type BetState } from './bet-state';
import { type Money } from './money';

/**
 * What `settlement.requested` and `rollback.requested` carry about the bet itself, from its stream, so that
 * settle-worker copies them into `bet.settled` / `bet.rolled_back` without a table of its own and consumers such
 * as wagering-progress need no other topic to judge a settled result.
 */
export interface BetFactsTag {
  readonly stake: Money | null;
  readonly game_id: string | null;
  readonly game_type: string | null;
  readonly provider: string | null;
  readonly bonus_grant_id: string | null;
  readonly entitlement_id: string | null;
  readonly funded_by: string | null;
  readonly math_version: string | null;
}

/** `funded_by` of a debit whose answer did not say which balance paid: the wallet took cash. */
export const DEFAULT_FUNDED_BY = 'cash';

export function betFactsOf(state: BetState): BetFactsTag {
  const terms = state.terms;
  return {
    stake: terms?.amount ?? null,
    game_id: terms?.game_id ?? null,
    game_type: terms?.game_type ?? null,
    provider: terms?.provider ?? null,
    bonus_grant_id: terms?.bonus_grant_id ?? null,
    entitlement_id: terms?.entitlement_id ?? null,
    // Known once the debit answered; null for a rollback of a debit that never had an answer.
    funded_by: state.fundedBy ?? null,
    math_version: state.mathVersion ?? null,
  };
}

/** The facts `rollback.requested` carries: its `amount` is already the stake. */
export function rollbackFactsOf(state: BetState): Omit<BetFactsTag, 'stake'> {
  const { stake: _stake, ...facts } = betFactsOf(state);
  return facts;
}
