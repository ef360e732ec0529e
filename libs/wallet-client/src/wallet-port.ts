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

export type WalletOperation = 'debit' | 'credit' | 'rollback' | 'convert' | 'forfeit' | 'balance';

export interface WalletTransactionRequest {
  readonly tenantId: string;
  readonly playerId: string;
  /** Idempotency key, e.g. `bet:<tenant>:<bet_id>:debit` (see `walletKeys`); the wallet's transaction id. */
  readonly transactionId: string;
  readonly amount: Money;
  readonly roundId?: string;
  readonly betId?: string;
  /**
   * Debit: the bonus grant the bet names; cash pays first and the grant's bonus funds the rest, and the result
   * says which (`funding`). Credit: with `balance: 'bonus'`, the grant whose bonus funds the credit adds to.
   */
  readonly grantId?: string;
  /** Credit only: `bonus` puts the money in the grant's bonus funds (the bonus sub-balance); default cash. */
  readonly balance?: 'cash' | 'bonus';
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

/**
 * Either `amount` (exactly that much of the player's bonus sub-balance into cash) or `grantId` alone: the grant's
 * own bonus funds into cash, at most `maxAmount` (the max-win cap) when given; the result says how much.
 */
export interface WalletConvertRequest {
  readonly tenantId: string;
  readonly playerId: string;
  readonly transactionId: string;
  readonly amount?: Money;
  readonly grantId?: string;
  readonly maxAmount?: Money;
  readonly traceparent?: string;
}

/** Removes everything left of one grant's bonus funds (key `grant:<tenant>:<grant_id>:forfeit`). */
export interface WalletForfeitRequest {
  readonly tenantId: string;
  readonly playerId: string;
  readonly transactionId: string;
  readonly grantId: string;
  readonly traceparent?: string;
}

export interface WalletBalance {
  readonly cash: Money;
  readonly bonus: Money;
  /** The bonus sub-balance per grant that holds bonus funds; absent when none does. */
  readonly grants?: readonly { readonly grantId: string; readonly bonus: Money }[];
}

/** Which balance paid a stake that named a grant. */
export type StakeFunding = 'cash' | 'bonus' | 'mixed';

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
  /** Bonus sub-balance after the movement, when the movement touched bonus money. */
  readonly bonusBalance?: Money;
  /** A debit that named a grant: which balance funded the stake, and how much each part was. */
  readonly funding?: StakeFunding;
  readonly funded?: { readonly cash: Money; readonly bonus: Money };
  /** A grant conversion: how much bonus money became cash (at most the cap). */
  readonly converted?: Money;
  /** A forfeit: how much bonus money the grant lost (0 when nothing was left). */
  readonly forfeited?: Money;
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
  forfeit(request: WalletForfeitRequest): Promise<WalletOutcome<WalletTransactionResult>>;
  balance(tenantId: string, playerId: string): Promise<WalletOutcome<WalletBalance>>;
}
