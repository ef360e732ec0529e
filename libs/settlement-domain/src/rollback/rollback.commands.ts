import { type Money, type RollbackRequester } from '@pitboss/contracts';

import { type RolledBackBetFacts } from '../bet-facts';
import { type RetryPolicy } from '../retry/retry-policy';
import { type RollbackReceipt, type WalletCallOutcome } from '../wallet/wallet-call-outcome';

export interface StartRollback {
  readonly type: 'StartRollback';
  readonly betId: string;
  readonly amount: Money;
  readonly reason: string;
  readonly requestedBy: RollbackRequester;
  /** The bet's facts as the `rollback.requested` carries them (all null on requests published before). */
  readonly facts: RolledBackBetFacts;
  readonly requestedEventId: string;
  readonly requestedAt: Date;
  readonly now: Date;
}

/** The timer fired; with the circuit open nothing is recorded (a rollback has no budget: it waits). */
export interface BeginRollbackAttempt {
  readonly type: 'BeginRollbackAttempt';
  readonly now: Date;
  readonly walletAvailable: boolean;
}

export interface RecordRollbackOutcome {
  readonly type: 'RecordRollbackOutcome';
  readonly outcome: WalletCallOutcome<RollbackReceipt>;
  readonly now: Date;
  readonly retry: RetryPolicy;
  readonly random: () => number;
}

export type RollbackCommand = StartRollback | BeginRollbackAttempt | RecordRollbackOutcome;
