import { type Money } from '@pitboss/contracts';

import { type RetryPolicy } from '../retry/retry-policy';
import { type CreditReceipt, type WalletCallOutcome } from '../wallet/wallet-call-outcome';

export interface StartSettlement {
  readonly type: 'StartSettlement';
  readonly betId: string;
  readonly win: Money;
  readonly requestedEventId: string;
  readonly requestedAt: Date;
  readonly now: Date;
  readonly budgetMs: number;
}

/** The timer fired. `walletAvailable: false` (the wallet client's circuit is open): only the budget is checked. */
export interface BeginCreditAttempt {
  readonly type: 'BeginCreditAttempt';
  readonly now: Date;
  readonly walletAvailable: boolean;
}

export interface RecordCreditOutcome {
  readonly type: 'RecordCreditOutcome';
  readonly outcome: WalletCallOutcome<CreditReceipt>;
  readonly now: Date;
  readonly retry: RetryPolicy;
  /** A value in [0, 1) for the backoff's jitter. */
  readonly random: () => number;
}

export type SettlementCommand = StartSettlement | BeginCreditAttempt | RecordCreditOutcome;
