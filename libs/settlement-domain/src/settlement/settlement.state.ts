import { type Money } from '@pitboss/contracts';

import { type BetFacts, UNKNOWN_BET_FACTS } from '../bet-facts';
import { type SettlementEvent } from './settlement.events';

/**
 * `started`: recorded, no credit tried yet; `settled_pending_credit`: the outcome is known and a credit is owed
 * and being tried; `credited` and `compensated` are final.
 */
export type SettlementStatus = 'none' | 'started' | 'settled_pending_credit' | 'credited' | 'compensated';

export interface SettlementState {
  readonly status: SettlementStatus;
  readonly betId: string | null;
  readonly win: Money | null;
  readonly requestedEventId: string | null;
  readonly requestedAt: Date | null;
  readonly deadlineAt: Date | null;
  readonly attempts: number;
  /** An attempt was recorded as started and its outcome not (yet) recorded. */
  readonly attemptInFlight: boolean;
  readonly nextAttemptAt: Date | null;
  readonly walletTransactionId: string | null;
  readonly compensationReason: string | null;
  /** The bet's game, stake and math version (null in streams started before they were recorded). */
  readonly gameId: string | null;
  readonly stake: Money | null;
  readonly mathVersion: string | null;
  /** Everything `bet.settled` says of the bet (all null in streams started before the facts were recorded). */
  readonly facts: BetFacts;
}

export function initialSettlementState(): SettlementState {
  return {
    status: 'none',
    betId: null,
    win: null,
    requestedEventId: null,
    requestedAt: null,
    deadlineAt: null,
    attempts: 0,
    attemptInFlight: false,
    nextAttemptAt: null,
    walletTransactionId: null,
    compensationReason: null,
    gameId: null,
    stake: null,
    mathVersion: null,
    facts: UNKNOWN_BET_FACTS,
  };
}

export function evolveSettlement(state: SettlementState, event: SettlementEvent): SettlementState {
  switch (event.type) {
    case 'settlement.started':
      return {
        ...state,
        status: 'started',
        betId: event.data.bet_id,
        win: event.data.win,
        requestedEventId: event.data.requested_event_id,
        requestedAt: new Date(event.data.requested_at),
        deadlineAt: new Date(event.data.deadline_at),
        nextAttemptAt: new Date(event.data.started_at),
        gameId: event.data.game_id ?? null,
        stake: event.data.stake ?? null,
        mathVersion: event.data.math_version ?? null,
        facts: {
          stake: event.data.stake ?? null,
          game_id: event.data.game_id ?? null,
          game_type: event.data.game_type ?? null,
          provider: event.data.provider ?? null,
          bonus_grant_id: event.data.bonus_grant_id ?? null,
          entitlement_id: event.data.entitlement_id ?? null,
          funded_by: event.data.funded_by ?? null,
          math_version: event.data.math_version ?? null,
        },
      };
    case 'settlement.credit_attempt_started':
      return {
        ...state,
        status: 'settled_pending_credit',
        attempts: event.data.attempt,
        attemptInFlight: true,
      };
    case 'settlement.credit_attempt_failed':
      return { ...state, attemptInFlight: false, nextAttemptAt: new Date(event.data.next_attempt_at) };
    case 'settlement.credit_confirmed':
      return {
        ...state,
        attemptInFlight: false,
        nextAttemptAt: null,
        walletTransactionId: event.data.wallet_transaction_id,
      };
    case 'settlement.credit_rejected':
      return { ...state, attemptInFlight: false, nextAttemptAt: null };
    case 'bet.settled':
      return { ...state, status: 'credited', nextAttemptAt: null };
    case 'settlement.compensated':
      return {
        ...state,
        status: 'compensated',
        attemptInFlight: false,
        nextAttemptAt: null,
        compensationReason: event.data.reason,
      };
    case 'settlement.request_conflicted':
      return state;
  }
}

export function isSettlementFinal(state: SettlementState): boolean {
  return state.status === 'credited' || state.status === 'compensated';
}

/**
 * When the saga next needs the wallet: null when final; now when an attempt was left unfinished (its worker
 * died mid-call: it is resumed with the same key); otherwise the scheduled retry.
 */
export function settlementDueAt(state: SettlementState, now: Date): Date | null {
  if (state.status === 'none' || isSettlementFinal(state)) return null;
  if (state.attemptInFlight) return now;
  return state.nextAttemptAt;
}
