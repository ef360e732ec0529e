/**
 * What a wallet call answered, as a saga needs it. Structurally a subset of the wallet port's outcome, so the
 * adapter passes the port's answer through unchanged:
 * - `ok`: the wallet moved the money (or had already, for a repeated key);
 * - `rejected`: it definitively did not, and never will for this key;
 * - `uncertain`: no definitive answer; `delivered: false` means the request provably never reached it.
 */
export type WalletCallOutcome<TValue> =
  | { readonly kind: 'ok'; readonly value: TValue }
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string }
  | { readonly kind: 'uncertain'; readonly cause: string; readonly delivered: boolean };

export interface CreditReceipt {
  readonly transactionId: string;
}

export interface RollbackReceipt {
  readonly transactionId: string;
  /** `not_found`: the wallet never saw the debit and tombstoned its key; for a rollback that is success too. */
  readonly status: 'rolled_back' | 'not_found';
}
