import { type BetState } from './bet-state';

/** The status an aggregator sees; internal states that are not answers (none, debit_pending) map to null. */
export type PublicBetStatus =
  | 'authorized'
  | 'rejected'
  | 'pending_credit'
  | 'credited'
  | 'compensated'
  | 'rollback_pending'
  | 'rolled_back';

export function publicStatusOf(state: BetState): PublicBetStatus | null {
  return state.status === 'none' || state.status === 'debit_pending' ? null : state.status;
}
