/**
 * The platform wallet contract (design brief §1) as the money path sees it. Every call carries an idempotency key
 * derived from business ids, so any retry by anyone moves money at most once.
 *
 * A call ends in exactly one of three outcomes, and callers must treat them differently:
 * - `ok`: the wallet committed (or had already committed, for a repeated key) and says so.
 * - `rejected`: the wallet answered definitively that it did NOT move money (insufficient funds, blocked, ...).
 * - `uncertain`: no definitive answer (timeout, 5xx, connection lost, circuit open). Money may or may not have
 *   moved; only a retry with the same key (or a rollback) settles it. `delivered: false` means the request
 *   provably never reached the wallet (connection refused, circuit open).
 */
export interface Money {
  readonly minor_units: number;
  readonly currency: string;
}

export type WalletOperation = 'debit' | 'credit' | 'rollback' | 'convert' | 'balance';

export interface WalletTransactionRequest {
  readonly tenantId: string;
  readonly playerId: string;
  /** Idempotency key, e.g. `bet:<tenant>:<bet_id>:debit` (see `walletKeys`); the wallet's transaction id. */
  readonly transactionId: string;
  readonly amount: Money;
  readonly roundId?: string;
  readonly betId?: string;
  readonly traceparent?: string;
}

export interface WalletRollbackRequest {
  readonly tenantId: string;
  readonly playerId: string;
  /** Idempotency key of the rollback itself, e.g. `bet:<tenant>:<bet_id>:rollback`. */
  readonly transactionId: string;
  /** The transaction being reversed; unknown to the wallet → definitive success (and it is tombstoned). */
  readonly originalTransactionId: string;
  readonly roundId?: string;
  readonly betId?: string;
  readonly traceparent?: string;
}

export interface WalletConvertRequest {
  readonly tenantId: string;
  readonly playerId: string;
  readonly transactionId: string;
  /** Bonus money turned into cash. */
  readonly amount: Money;
  readonly grantId?: string;
  readonly traceparent?: string;
}

export interface WalletBalance {
  readonly cash: Money;
  readonly bonus: Money;
}

export type WalletRejectionCode =
  | 'INSUFFICIENT_FUNDS'
  | 'PLAYER_BLOCKED'
  | 'PLAYER_NOT_FOUND'
  | 'CURRENCY_MISMATCH'
  | 'IDEMPOTENCY_MISMATCH'
  | 'TRANSACTION_ROLLED_BACK'
  | 'INVALID_REQUEST';

export type WalletOutcome<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | {
      readonly kind: 'rejected';
      readonly code: WalletRejectionCode;
      readonly message: string;
      readonly balance?: Money;
    }
  | { readonly kind: 'uncertain'; readonly cause: string; readonly delivered: boolean };

export interface WalletTransactionResult {
  readonly transactionId: string;
  /** Cash balance after the movement. */
  readonly balance: Money;
}

export interface WalletRollbackResult {
  readonly transactionId: string;
  /** `rolled_back`: the original was reversed; `not_found`: the wallet never saw it and tombstoned it. */
  readonly status: 'rolled_back' | 'not_found';
  readonly balance?: Money;
}

export interface WalletPort {
  debit(request: WalletTransactionRequest): Promise<WalletOutcome<WalletTransactionResult>>;
  credit(request: WalletTransactionRequest): Promise<WalletOutcome<WalletTransactionResult>>;
  rollback(request: WalletRollbackRequest): Promise<WalletOutcome<WalletRollbackResult>>;
  convert(request: WalletConvertRequest): Promise<WalletOutcome<WalletTransactionResult>>;
  balance(tenantId: string, playerId: string): Promise<WalletOutcome<WalletBalance>>;
}
