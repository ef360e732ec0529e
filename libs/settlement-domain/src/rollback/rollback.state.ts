import { type Money } from '@pitboss/contracts';

import { rolledBackFacts, type RolledBackBetFacts, UNKNOWN_BET_FACTS } from '../bet-facts';
import { type RollbackEvent } from './rollback.events';

/** `started`: recorded; `rolling_back`: attempts under way; `rolled_back` and `failed` are final. */
export type RollbackStatus = 'none' | 'started' | 'rolling_back' | 'rolled_back' | 'failed';

export interface RollbackState {
  readonly status: RollbackStatus;
  readonly betId: string | null;
  readonly amount: Money | null;
  readonly reason: string | null;
  readonly requestedAt: Date | null;
  readonly attempts: number;
  readonly attemptInFlight: boolean;
  readonly nextAttemptAt: Date | null;
  readonly walletStatus: 'rolled_back' | 'not_found' | null;
  readonly facts: RolledBackBetFacts;
}

export function initialRollbackState(): RollbackState {
  return {
    status: 'none',
    betId: null,
    amount: null,
    reason: null,
    requestedAt: null,
    attempts: 0,
    attemptInFlight: false,
    nextAttemptAt: null,
    walletStatus: null,
    facts: rolledBackFacts(UNKNOWN_BET_FACTS),
  };
}

export function evolveRollback(state: RollbackState, event: RollbackEvent): RollbackState {
  switch (event.type) {
    case 'rollback.started':
      return {
        ...state,
        status: 'started',
        betId: event.data.bet_id,
        amount: event.data.amount,
        reason: event.data.reason,
        requestedAt: new Date(event.data.requested_at),
        nextAttemptAt: new Date(event.data.started_at),
        facts: event.data.facts ?? rolledBackFacts(UNKNOWN_BET_FACTS),
      };
    case 'rollback.attempt_started':
      return { ...state, status: 'rolling_back', attempts: event.data.attempt, attemptInFlight: true };
    case 'rollback.attempt_failed':
      return { ...state, attemptInFlight: false, nextAttemptAt: new Date(event.data.next_attempt_at) };
    case 'rollback.confirmed':
      return {
        ...state,
        attemptInFlight: false,
        nextAttemptAt: null,
        walletStatus: event.data.wallet_status,
      };
    case 'bet.rolled_back':
      return { ...state, status: 'rolled_back', nextAttemptAt: null };
    case 'rollback.refused':
      return { ...state, status: 'failed', attemptInFlight: false, nextAttemptAt: null };
  }
}

export function isRollbackFinal(state: RollbackState): boolean {
  return state.status === 'rolled_back' || state.status === 'failed';
}

/** When the saga next needs the wallet (see `settlementDueAt`). */
export function rollbackDueAt(state: RollbackState, now: Date): Date | null {
  if (state.status === 'none' || isRollbackFinal(state)) return null;
  if (state.attemptInFlight) return now;
  return state.nextAttemptAt;
}
