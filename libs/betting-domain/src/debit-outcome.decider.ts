import { type ErrorCode } from '@pitboss/contracts';

import { type BetEvent } from './bet-events';
import { DEFAULT_FUNDED_BY, rollbackFactsOf } from './bet-facts';
import { type BetState, countryTagOf, mathVersionTagOf } from './bet-state';
import { type Money } from './money';

/** The wallet's answer to the debit, in the gateway's terms. */
export type DebitOutcome =
  | {
      readonly kind: 'debited';
      readonly transactionId: string;
      readonly balance: Money;
      /** Which balance paid the stake (cash, bonus, mixed); absent when the wallet did not say: cash. */
      readonly fundedBy?: string | null;
    }
  | { readonly kind: 'refused'; readonly code: ErrorCode; readonly balance: Money | null }
  | { readonly kind: 'uncertain'; readonly cause: string };

/**
 * An uncertain debit is never left open: it is recorded and its rollback requested in the same append, so
 * settle-worker returns the stake if the wallet took it (and the wallet tombstones it if it did not).
 * An outcome arriving after the bet moved on (a rollback raced the debit) changes nothing: that rollback
 * reverses the debit by its key whatever the wallet did.
 */
export function decideDebitOutcome(outcome: DebitOutcome, state: BetState): BetEvent[] {
  const terms = state.terms;
  if (state.status !== 'debit_pending' || terms === null) return [];
  const { bet_id, game_id, game_type, amount, bonus_grant_id, provider } = terms;
  const tag = mathVersionTagOf(state);
  switch (outcome.kind) {
    case 'debited':
      return [
        {
          type: 'bet.authorized',
          data: {
            bet_id,
            game_id,
            game_type,
            amount,
            bonus_grant_id,
            wallet_transaction_id: outcome.transactionId,
            balance_after: outcome.balance,
            provider: provider ?? null,
            funded_by: outcome.fundedBy ?? DEFAULT_FUNDED_BY,
            ...tag,
            ...countryTagOf(state),
          },
        },
      ];
    case 'refused':
      return [
        {
          type: 'bet.rejected',
          data: { bet_id, game_id, amount, reason_code: outcome.code, balance: outcome.balance, ...tag },
        },
      ];
    case 'uncertain':
      return [
        { type: 'debit.uncertain', data: { bet_id, amount, cause: outcome.cause } },
        {
          type: 'rollback.requested',
          data: {
            bet_id,
            amount,
            reason: `debit uncertain: ${outcome.cause}`,
            requested_by: 'SYSTEM',
            ...rollbackFactsOf(state),
          },
        },
      ];
  }
}
