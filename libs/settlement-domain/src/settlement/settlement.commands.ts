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
  /**
   * The tenant's wallet setting: true sends a zero win to the wallet as a credit of 0 (MG+/Hub88-style wallets
   * close the round on it), through the same attempts, key and budget as any win; false settles it without a call.
   */
  readonly creditZeroWin: boolean;
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
