import { type DebitOutcome } from '@pitboss/betting-domain';
import { type ErrorCode } from '@pitboss/contracts';
import {
  type WalletOutcome,
  type WalletRejectionCode,
  type WalletTransactionResult,
} from '@pitboss/wallet-client';

/** How a definitive wallet refusal reads to the aggregator. */
const REFUSAL_CODES: Record<WalletRejectionCode, ErrorCode> = {
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
  PLAYER_BLOCKED: 'PLAYER_BLOCKED',
  PLAYER_NOT_FOUND: 'PLAYER_NOT_FOUND',
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  // The wallet saw this bet's debit key with another amount: the same bet_id placed twice differently.
  IDEMPOTENCY_MISMATCH: 'DUPLICATE_BET_ID',
  TRANSACTION_ROLLED_BACK: 'BET_ALREADY_ROLLED_BACK',
  INVALID_REQUEST: 'INVALID_REQUEST',
};

export function debitOutcomeOf(outcome: WalletOutcome<WalletTransactionResult>): DebitOutcome {
  switch (outcome.kind) {
    case 'ok':
      return {
        kind: 'debited',
        transactionId: outcome.value.transactionId,
        balance: outcome.value.balance,
        // Which balance paid the stake (cash, bonus, mixed), when the wallet says: it does for a stake that names a
        // grant. Absent, the decider records cash.
        ...(outcome.value.funding === undefined ? {} : { fundedBy: outcome.value.funding }),
      };
    case 'rejected':
      return { kind: 'refused', code: REFUSAL_CODES[outcome.code], balance: outcome.balance ?? null };
    case 'uncertain':
      return { kind: 'uncertain', cause: outcome.cause };
  }
}
