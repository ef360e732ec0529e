import type { BetRolledBack, BetSettled } from '@pitboss/contracts';

import type { SettledBet } from './settlement/settlement.commands';

/**
 * What bet.settled and bet.rolled_back carry about the bet itself (its stake, game and funding), so that
 * consumers such as wagering-progress need no other topic to judge a settled result.
 */
export type BetFacts = Omit<BetSettled, 'bet_id' | 'win' | 'wallet_transaction_id' | 'credited_as'>;
export type RolledBackBetFacts = Omit<BetRolledBack, 'bet_id' | 'amount' | 'reason'>;

/** The facts of a bet the saga does not know (yet): every field null, as the contract's default says. */
export const UNKNOWN_BET_FACTS: BetFacts = {
  stake: null,
  game_id: null,
  game_type: null,
  provider: null,
  bonus_grant_id: null,
  entitlement_id: null,
  funded_by: null,
  math_version: null,
};

export function rolledBackFacts({ stake: _stake, ...facts }: BetFacts): RolledBackBetFacts {
  return facts;
}

/**
 * The facts a settlement saga records: the request's own (bet-gateway puts them on `settlement.requested`), with
 * what settle-worker kept from `bet.authorized` filling the gaps of a request published before it carried them.
 * `mathVersion` is the request's tag, which the bet's own only replaces when absent.
 */
export function settlementFacts(
  requested: BetFacts,
  recorded: SettledBet | null,
  mathVersion: string | null,
): BetFacts {
  return {
    ...requested,
    game_id: requested.game_id ?? recorded?.gameId ?? null,
    stake: requested.stake ?? recorded?.stake ?? null,
    math_version: mathVersion ?? requested.math_version ?? recorded?.mathVersion ?? null,
  };
}
