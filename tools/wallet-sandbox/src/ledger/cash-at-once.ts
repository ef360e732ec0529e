import { type Pool } from 'pg';

import { isUniqueViolation, minorUnits } from './ledger-rows';
import { type Money } from './wallet-error';

/** A plain cash debit or credit under a key, as one statement may apply it. */
export interface CashMovement {
  readonly tenantId: string;
  readonly playerId: string;
  readonly transactionId: string;
  readonly kind: 'debit' | 'credit';
  readonly requestHash: string;
  readonly amount: Money;
  /** Negative for a debit. */
  readonly cashDelta: number;
  readonly betId?: string;
  readonly roundId?: string;
}

/**
 * The whole of a plain cash movement in ONE autocommitted statement, when nothing can refuse it: the key is new,
 * the account exists, is open, is in the amount's currency and holds the funds. The balance update locks the
 * account row (so movements of one player stay serialised), and the ledger entry and the stored answer are
 * inserted from the updated row: all three or none. The answer is built from the balance after, in the same
 * key order as the transactional path's, so a replay sends it byte for byte.
 *
 * Undefined when the statement changed nothing (or lost the key to a concurrent execution: the key's unique
 * violation undoes all of it): the caller then takes the transactional path, which answers exactly why (a
 * replay, a mismatch, a refusal).
 */
export async function moveCashIfNew(pool: Pool, movement: CashMovement): Promise<Money | undefined> {
  try {
    const { rows } = await pool.query<{ cash_minor_units: string; currency: string }>(MOVE_CASH_IF_NEW, [
      movement.tenantId,
      movement.playerId,
      movement.transactionId,
      movement.kind,
      movement.amount.minor_units,
      movement.amount.currency,
      movement.cashDelta,
      movement.betId ?? null,
      movement.roundId ?? null,
      movement.requestHash,
    ]);
    const moved = rows[0];
    return moved && { minor_units: minorUnits(moved.cash_minor_units), currency: moved.currency };
  } catch (error) {
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
}

// The key is looked up in the statement's snapshot: one stored meanwhile by a concurrent execution is not seen,
// but then refuses this statement's insert of the answer.
const MOVE_CASH_IF_NEW = `
  WITH moved AS (
    UPDATE accounts SET cash_minor_units = cash_minor_units + $7::bigint, updated_at = now()
     WHERE tenant_id = $1 AND player_id = $2 AND NOT blocked AND currency = $6::char(3)
       AND cash_minor_units + $7::bigint >= 0
       AND NOT EXISTS (SELECT 1 FROM transactions WHERE tenant_id = $1 AND transaction_id = $3)
    RETURNING tenant_id, player_id, cash_minor_units, currency
  ), entry AS (
    INSERT INTO ledger_entries (tenant_id, player_id, transaction_id, kind, amount_minor_units, currency,
      cash_delta_minor_units, bonus_delta_minor_units, bet_id, round_id)
    SELECT tenant_id, player_id, $3::text, $4::text, $5::bigint, $6::char(3), $7::bigint, 0, $8::text, $9::text
      FROM moved
  ), answered AS (
    INSERT INTO transactions (tenant_id, transaction_id, player_id, operation, request_hash, response_status,
      response_body, amount_minor_units, currency)
    SELECT tenant_id, $3::text, player_id, $4::text, $10::text, 200,
           json_build_object('transaction_id', $3::text, 'status', 'committed',
             'balance', json_build_object('minor_units', cash_minor_units, 'currency', currency)),
           $5::bigint, $6::char(3)
      FROM moved
  )
  SELECT cash_minor_units, currency FROM moved`;
