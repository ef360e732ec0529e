import { z } from 'zod';

import { WalletError, WalletErrorCode } from '../ledger/wallet-error';

export const FAULTY_OPERATIONS = ['debit', 'credit', 'rollback', 'convert', 'forfeit', 'balance'] as const;
export type FaultyOperation = (typeof FAULTY_OPERATIONS)[number];

const rate = z.number().min(0).max(1);

const faultSettings = z
  .object({
    /** Added before every affected request is handled. */
    latency_ms: z.number().int().min(0).max(600_000).default(0),
    /** Share of affected requests answered 503 without doing anything. */
    error_rate: rate.default(0),
    /** Share of affected requests held and never answered, the socket left open until the client gives up. */
    timeout_rate: rate.default(0),
    /** Share of affected requests whose transaction commits, then the socket is destroyed without an answer. */
    commit_then_drop_rate: rate.default(0),
    /** The API listener is closed: clients get ECONNREFUSED. */
    offline: z.boolean().default(false),
    /** Operations the faults apply to; all of them when absent. */
    operations: z.array(z.enum(FAULTY_OPERATIONS)).nonempty().optional(),
  })
  .strict();

export type FaultSettings = z.infer<typeof faultSettings>;

export const NO_FAULTS: FaultSettings = faultSettings.parse({});

/** Validates a `PUT /admin/faults` body; fields left out are reset to "no fault". */
export function parseFaultSettings(body: unknown): FaultSettings {
  const result = faultSettings.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new WalletError(
    WalletErrorCode.InvalidRequest,
    `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
  );
}
