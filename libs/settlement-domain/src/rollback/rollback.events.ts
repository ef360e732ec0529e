import { type RolledBackBetFacts } from '../bet-facts';
import { type BetRolledBack, type Money, type RollbackRequester } from '@pitboss/contracts';

/**
 * The rollback saga's stream. `bet.rolled_back` is the public fact (published on `rgs.settlements.v1`); the
 * others are the saga's own record of each step. Times are ISO-8601 strings.
 */
export interface RollbackStarted {
  readonly type: 'rollback.started';
  readonly data: {
    readonly bet_id: string;
    readonly amount: Money;
    readonly reason: string;
    readonly requested_by: RollbackRequester;
    readonly requested_event_id: string;
    readonly requested_at: string;
    readonly started_at: string;
    /** The bet's facts, copied into `bet.rolled_back`; absent in streams started before they were recorded. */
    readonly facts?: RolledBackBetFacts;
  };
}

export interface RollbackAttemptStarted {
  readonly type: 'rollback.attempt_started';
  readonly data: {
    readonly attempt: number;
    readonly started_at: string;
    readonly resumes_unfinished_attempt: boolean;
  };
}

export interface RollbackAttemptFailed {
  readonly type: 'rollback.attempt_failed';
  readonly data: {
    readonly attempt: number;
    readonly cause: string;
    readonly delivered: boolean;
    readonly next_attempt_at: string;
  };
}

export interface RollbackConfirmed {
  readonly type: 'rollback.confirmed';
  readonly data: {
    readonly attempt: number;
    /** `not_found`: the wallet never took the stake; its debit key is now tombstoned. */
    readonly wallet_status: 'rolled_back' | 'not_found';
    readonly wallet_transaction_id: string;
    readonly confirmed_at: string;
  };
}

/** The wallet definitively refused to roll back: the saga fails and operations are alerted. No money event. */
export interface RollbackRefused {
  readonly type: 'rollback.refused';
  readonly data: { readonly attempt: number; readonly code: string; readonly message: string };
}

export interface BetRolledBackEvent {
  readonly type: 'bet.rolled_back';
  readonly data: BetRolledBack;
}

export type RollbackEvent =
  | RollbackStarted
  | RollbackAttemptStarted
  | RollbackAttemptFailed
  | RollbackConfirmed
  | RollbackRefused
  | BetRolledBackEvent;
