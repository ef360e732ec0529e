import { type Money } from '@pitboss/contracts';

import { type BetFacts } from '../bet-facts';
import { type RetryPolicy } from '../retry/retry-policy';
import { type CreditReceipt, type WalletCallOutcome } from '../wallet/wallet-call-outcome';

/** What settle-worker learnt of the bet from its `bet.authorized`: recorded with the saga for the business metrics. */
export interface SettledBet {
  readonly gameId: string;
  readonly stake: Money;
  readonly mathVersion: string | null;
}

export interface StartSettlement {
  readonly type: 'StartSettlement';
  readonly betId: string;
  readonly win: Money;
  /** From the bet's `bet.authorized`; null when settle-worker never saw it (a bet placed before it recorded them). */
  readonly bet: SettledBet | null;
  /** The bet's facts as the `settlement.requested` carries them (all null on requests published before). */
  readonly facts: BetFacts;
  /** `math_version` of the `settlement.requested`; when null, the bet's own (from its authorize) is kept. */
  readonly mathVersion: string | null;
  readonly requestedEventId: string;
  readonly requestedAt: Date;
  readonly now: Date;
  readonly budgetMs: number;
  /**
   * The tenant's wallet setting: true sends a zero win to the wallet as a credit of 0 (MG+/Hub88-style wallets
   * close the round on it), through the same attempts, key and budget as any win; false settles it without a call.
   */
  readonly creditZeroWin: boolean;
  /**
   * The request's `win_credit`: `bonus` (an entitlement bet whose wins are granted as bonus by bonus-grant) is
   * settled at once without a wallet call, whatever the win; anything else is credited to cash.
   */
  readonly winCredit: string;
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
