export interface Money {
  readonly minor_units: number;
  readonly currency: string;
}

/** Every error the sandbox answers; `statusOf` maps them to HTTP statuses in one place. */
export enum WalletErrorCode {
  InvalidRequest = 'INVALID_REQUEST',
  InsufficientFunds = 'INSUFFICIENT_FUNDS',
  PlayerBlocked = 'PLAYER_BLOCKED',
  PlayerNotFound = 'PLAYER_NOT_FOUND',
  CurrencyMismatch = 'CURRENCY_MISMATCH',
  IdempotencyMismatch = 'IDEMPOTENCY_MISMATCH',
  TransactionRolledBack = 'TRANSACTION_ROLLED_BACK',
  Unauthorized = 'UNAUTHORIZED',
  NotFound = 'NOT_FOUND',
  /** Injected fault: the request was not processed. */
  Unavailable = 'WALLET_UNAVAILABLE',
}

export class WalletError extends Error {
  constructor(
    readonly code: WalletErrorCode,
    message: string,
    readonly balance?: Money,
  ) {
    super(message);
  }
}

export function statusOf(code: WalletErrorCode): number {
  switch (code) {
    case WalletErrorCode.InvalidRequest:
      return 400;
    case WalletErrorCode.Unauthorized:
      return 401;
    case WalletErrorCode.InsufficientFunds:
      return 402;
    case WalletErrorCode.PlayerBlocked:
      return 403;
    case WalletErrorCode.PlayerNotFound:
    case WalletErrorCode.NotFound:
      return 404;
    case WalletErrorCode.TransactionRolledBack:
      return 409;
    case WalletErrorCode.CurrencyMismatch:
    case WalletErrorCode.IdempotencyMismatch:
      return 422;
    case WalletErrorCode.Unavailable:
      return 503;
  }
}

/** The product's error body: `{"error": {"code", "message", "retryable"}}`, plus the balance for 402. */
export function errorBody(error: WalletError): Record<string, unknown> {
  return {
    error: {
      code: error.code,
      message: error.message,
      // Only "not processed, try again" answers are retryable; every other one is final for its key.
      retryable: error.code === WalletErrorCode.Unavailable,
      ...(error.balance === undefined ? {} : { balance: error.balance }),
    },
  };
}
