import { z } from 'zod';

import { WalletError, WalletErrorCode } from './wallet-error';

// Amounts are integers in minor units (money invariant 5): floats, strings and unsafe integers are refused.
const money = z.object({
  minor_units: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO-4217 code such as EUR'),
});
const id = z.string().min(1).max(255);

const transactionRequest = z.object({
  tenant_id: id,
  player_id: id,
  amount: money,
  round_id: id.optional(),
  bet_id: id.optional(),
  /** Debit: the bonus grant whose funds may pay the part of the stake cash does not cover. Credit: see `balance`. */
  grant_id: id.optional(),
});
/** A credit goes to cash unless it names `balance: bonus` and the grant whose funds it adds to. */
const creditRequest = transactionRequest
  .extend({ balance: z.enum(['cash', 'bonus']).optional() })
  .refine((request) => request.balance !== 'bonus' || request.grant_id !== undefined, {
    message: 'a bonus credit names its grant_id',
    path: ['grant_id'],
  });
const rollbackRequest = z.object({
  tenant_id: id,
  player_id: id,
  original_transaction_id: id,
  round_id: id.optional(),
  bet_id: id.optional(),
});
/**
 * Two forms: `amount` converts exactly that much of the player's bonus sub-balance (the original contract);
 * `grant_id` without `amount` converts the grant's own funds, at most `max_amount` when given (the max-win cap).
 */
const convertRequest = z
  .object({
    tenant_id: id,
    player_id: id,
    amount: money.optional(),
    grant_id: id.optional(),
    max_amount: money.optional(),
  })
  .refine((request) => request.amount !== undefined || request.grant_id !== undefined, {
    message: 'give amount, or grant_id (with max_amount optionally)',
    path: ['amount'],
  })
  .refine((request) => request.amount === undefined || request.max_amount === undefined, {
    message: 'amount and max_amount exclude each other',
    path: ['max_amount'],
  });
/** Removes what is left of one grant's bonus funds (revoke, expiry, or the excess over max win). */
const forfeitRequest = z.object({ tenant_id: id, player_id: id, grant_id: id });

export type TransactionRequest = z.infer<typeof transactionRequest>;
export type RollbackRequest = z.infer<typeof rollbackRequest>;
export type CreditRequest = z.infer<typeof creditRequest>;
export type ConvertRequest = z.infer<typeof convertRequest>;
export type ForfeitRequest = z.infer<typeof forfeitRequest>;

export const walletRequests = {
  transaction: transactionRequest,
  credit: creditRequest,
  rollback: rollbackRequest,
  convert: convertRequest,
  forfeit: forfeitRequest,
};

/** Parses a request body with `schema`, or throws INVALID_REQUEST naming the first problem. */
export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.');
  throw new WalletError(WalletErrorCode.InvalidRequest, `${where}: ${issue?.message ?? 'invalid'}`);
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The X-Idempotency-Key: 1..255 printable ASCII characters, no spaces. */
export function parseIdempotencyKey(raw: string | string[] | undefined): string {
  if (typeof raw !== 'string' || raw === '')
    throw new WalletError(WalletErrorCode.InvalidRequest, 'the X-Idempotency-Key header is required');
  if (!KEY.test(raw))
    throw new WalletError(
      WalletErrorCode.InvalidRequest,
      'X-Idempotency-Key must be 1..255 printable characters',
    );
  return raw;
}
