import { PitbossError } from '@pitboss/contracts';

import { type BetEvent } from './bet-events';
import { betFactsOf } from './bet-facts';
import { type BetState, mathVersionTagOf, winCreditTagOf } from './bet-state';
import { type Money, sameMoney } from './money';

export interface SettleBet {
  readonly bet_id: string;
  readonly round_id: string;
  readonly win: Money;
}

/**
 * Settling never looks at the session: a round that started keeps settling after its session expired.
 * Settling again with the same win answers the bet's current status; another win is refused.
 */
export function decideSettle(command: SettleBet, state: BetState): BetEvent[] {
  const terms = state.terms;
  if (terms === null && state.status === 'rolled_back') {
    throw new PitbossError('BET_ALREADY_ROLLED_BACK', `bet ${command.bet_id} was rolled back`);
  }
  if (terms === null || terms.round_id !== command.round_id || !wasDebited(state)) {
    throw new PitbossError(
      'BET_NOT_FOUND',
      `no authorized bet ${command.bet_id} in round ${command.round_id}`,
    );
  }
  switch (state.status) {
    case 'authorized':
      if (command.win.currency !== terms.amount.currency) {
        throw new PitbossError(
          'CURRENCY_MISMATCH',
          `the win is in ${command.win.currency} but bet ${command.bet_id} was placed in ${terms.amount.currency}`,
        );
      }
      return [
        {
          type: 'settlement.requested',
          data: {
            bet_id: command.bet_id,
            win: command.win,
            ...mathVersionTagOf(state),
            ...betFactsOf(state),
            ...winCreditTagOf(state),
          },
        },
      ];
    case 'rollback_pending':
    case 'rolled_back':
      throw new PitbossError('BET_ALREADY_ROLLED_BACK', `bet ${command.bet_id} was rolled back`);
    default:
      if (state.win !== null && sameMoney(state.win, command.win)) return [];
      throw new PitbossError(
        'BET_ALREADY_SETTLED',
        `bet ${command.bet_id} is already settled with another win`,
        {
          win: state.win,
        },
      );
  }
}

/** A bet the wallet refused, or whose debit is still in flight, has nothing to settle. */
function wasDebited(state: BetState): boolean {
  return (
    state.status !== 'debit_pending' &&
    state.status !== 'rejected' &&
    state.rollback?.requestedBy !== 'SYSTEM'
  );
}
