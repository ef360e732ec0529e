import { type BetEvent } from './bet-events';
import { type BetState } from './bet-state';
import { type Money } from './money';

/** What settle-worker reported on `rgs.settlements.v1` about a bet. */
export type SettlementOutcome =
  | { readonly type: 'bet.settled'; readonly win: Money; readonly walletTransactionId: string | null }
  | { readonly type: 'settlement.compensated'; readonly reason: string }
  | { readonly type: 'bet.rolled_back' };

/** Records the outcome on the bet once; a redelivered outcome changes nothing. */
export function decideSettlementOutcome(
  betId: string,
  outcome: SettlementOutcome,
  state: BetState,
): BetEvent[] {
  switch (outcome.type) {
    case 'bet.settled':
      if (state.status === 'credited') return [];
      return [
        {
          type: 'bet.credit_confirmed',
          data: { bet_id: betId, win: outcome.win, wallet_transaction_id: outcome.walletTransactionId },
        },
      ];
    case 'settlement.compensated':
      return state.status === 'compensated'
        ? []
        : [{ type: 'bet.credit_compensated', data: { bet_id: betId, reason: outcome.reason } }];
    case 'bet.rolled_back':
      return state.status === 'rolled_back'
        ? []
        : [{ type: 'bet.rollback_confirmed', data: { bet_id: betId } }];
  }
}
