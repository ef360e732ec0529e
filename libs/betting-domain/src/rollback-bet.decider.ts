import { PitbossError } from '@pitboss/contracts';

import { type BetEvent } from './bet-events';
import { rollbackFactsOf } from './bet-facts';
import { type BetState } from './bet-state';

export interface RollbackBet {
  readonly bet_id: string;
  readonly reason: string;
}

/**
 * A rollback for a bet never seen is a definitive success and leaves a tombstone, so the bet arriving late is
 * refused. Once a settlement is accepted the bet can no longer be rolled back: that settlement is owed and is
 * credited or compensated, never dropped.
 */
export function decideRollback(command: RollbackBet, state: BetState): BetEvent[] {
  const { bet_id, reason } = command;
  switch (state.status) {
    case 'none':
      return [{ type: 'bet.unknown_bet_rolled_back', data: { bet_id, reason } }];
    case 'debit_pending':
    case 'authorized': {
      const amount = state.terms?.amount;
      if (amount === undefined) throw new Error(`bet ${bet_id} is ${state.status} without terms`);
      return [
        {
          type: 'rollback.requested',
          data: { bet_id, amount, reason, requested_by: 'AGGREGATOR', ...rollbackFactsOf(state) },
        },
      ];
    }
    case 'rejected':
    case 'rollback_pending':
    case 'rolled_back':
      return [];
    case 'pending_credit':
    case 'credited':
    case 'compensated':
      throw new PitbossError(
        'BET_ALREADY_SETTLED',
        `bet ${bet_id} is settled (${state.status}); it cannot be rolled back`,
      );
  }
}
