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
 * credited or compensated, never dropped. An entitlement bet's rollback gives its token back (`entitlement.restored`)
 * and ends there: no debit was made, so settle-worker has nothing to return.
 */
export function decideRollback(
  command: RollbackBet,
  state: BetState,
  /** An entitlement bet's tokens left once its token is given back (the caller returns it in the same transaction). */
  entitlementRemaining?: number,
): BetEvent[] {
  const { bet_id, reason } = command;
  switch (state.status) {
    case 'none':
      return [{ type: 'bet.unknown_bet_rolled_back', data: { bet_id, reason } }];
    case 'debit_pending':
    case 'authorized': {
      const entitlementId = state.terms?.entitlement_id;
      // Nothing was debited: the token goes back and the bet is rolled back at once, without the wallet.
      if (entitlementId !== undefined && entitlementId !== null) {
        if (entitlementRemaining === undefined)
          throw new Error(`bet ${bet_id} needs its entitlement's count`);
        return [
          {
            type: 'entitlement.restored',
            data: { bet_id, entitlement_id: entitlementId, remaining: entitlementRemaining, reason },
          },
        ];
      }
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
