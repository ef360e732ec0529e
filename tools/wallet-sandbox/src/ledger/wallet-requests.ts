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
});
const rollbackRequest = z.object({
  tenant_id: id,
  player_id: id,
  original_transaction_id: id,
  round_id: id.optional(),
  bet_id: id.optional(),
});
const convertRequest = z.object({
  tenant_id: id,
  player_id: id,
  amount: money,
  grant_id: id.optional(),
});

export type TransactionRequest = z.infer<typeof transactionRequest>;
export type RollbackRequest = z.infer<typeof rollbackRequest>;
export type ConvertRequest = z.infer<typeof convertRequest>;

export const walletRequests = {
  transaction: transactionRequest,
  rollback: rollbackRequest,
  convert: convertRequest,
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
