import { type Transaction } from '@pitboss/event-store';

import { moveGrantFunds } from './bonus-funds';
import { type AccountRow, type LedgerEntryInput, moveBalances } from './ledger-rows';
import { type Money } from './wallet-error';

/** What `execute` stores under the key and answers; `amount` is the stored transaction's amount. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly amount?: Money;
  /** Already stored under the key, by the movement's own statement: `execute` stores nothing more. */
  readonly stored?: true;
}

export type Movement = Omit<LedgerEntryInput, 'tenantId' | 'playerId'>;

/**
 * One money movement: the account's balances with the append-only ledger entry (one statement), and the grant's
 * funds when the bonus part belongs to a grant, all in the caller's transaction (which holds the account row lock).
 */
export async function applyMovement(
  tx: Transaction,
  account: AccountRow,
  movement: Movement,
): Promise<AccountRow> {
  const after = await moveBalances(tx, {
    ...movement,
    tenantId: account.tenantId,
    playerId: account.playerId,
  });
  if (movement.grantId !== undefined && movement.bonusDelta !== 0)
    await moveGrantFunds(
      tx,
      {
        tenantId: account.tenantId,
        playerId: account.playerId,
        grantId: movement.grantId,
        currency: account.currency,
      },
      movement.bonusDelta,
    );
  return after;
}

export function cashOf(account: AccountRow): Money {
  return { minor_units: account.cash, currency: account.currency };
}

export function bonusOf(account: AccountRow): Money {
  return { minor_units: account.bonus, currency: account.currency };
}
