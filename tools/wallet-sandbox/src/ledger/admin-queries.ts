import { type Pool } from 'pg';
import { z } from 'zod';

import { withTransaction } from '@pitboss/event-store';

import { type AccountRow, lockAccount, minorUnits } from './ledger-rows';
import { WalletError, WalletErrorCode } from './wallet-error';
import { parseRequest } from './wallet-requests';

const id = z.string().min(1).max(255);
const units = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const accountSetup = z.object({
  tenant_id: id,
  player_id: id,
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO-4217 code such as EUR'),
  cash_minor_units: units.optional(),
  bonus_minor_units: units.optional(),
  blocked: z.boolean().optional(),
});

export type AccountSetup = z.infer<typeof accountSetup>;

export function accountView(account: AccountRow, created?: boolean) {
  const money = (minor_units: number) => ({ minor_units, currency: account.currency });
  return {
    tenant_id: account.tenantId,
    player_id: account.playerId,
    currency: account.currency,
    cash: money(account.cash),
    bonus: money(account.bonus),
    blocked: account.blocked,
    ...(created === undefined ? {} : { created }),
  };
}

/**
 * Creates the account, or sets an existing one: balances given are SET to those values (a reset, or a top-up
 * to a new total), fields left out stay as they are. The currency is fixed at creation; another one is refused.
 * The change is recorded in `account_adjustments`, never in the ledger, which holds only what the API did.
 */
export async function setUpAccount(pool: Pool, body: unknown) {
  const setup = parseRequest(accountSetup, body);
  return withTransaction(pool, async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO accounts (tenant_id, player_id, currency) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [setup.tenant_id, setup.player_id, setup.currency],
    );
    const before = await lockAccount(tx, setup.tenant_id, setup.player_id);
    if (before === undefined) throw new Error('account vanished');
    if (before.currency !== setup.currency)
      throw new WalletError(WalletErrorCode.CurrencyMismatch, `the account is in ${before.currency}`);
    const cash = setup.cash_minor_units ?? before.cash;
    const bonus = setup.bonus_minor_units ?? before.bonus;
    const blocked = setup.blocked ?? before.blocked;
    await tx.query(
      `UPDATE accounts SET cash_minor_units = $3, bonus_minor_units = $4, blocked = $5, updated_at = now()
       WHERE tenant_id = $1 AND player_id = $2`,
      [setup.tenant_id, setup.player_id, cash, bonus, blocked],
    );
    await tx.query(
      `INSERT INTO account_adjustments (tenant_id, player_id, cash_delta_minor_units, bonus_delta_minor_units, blocked)
       VALUES ($1, $2, $3, $4, $5)`,
      [setup.tenant_id, setup.player_id, cash - before.cash, bonus - before.bonus, blocked],
    );
    return accountView({ ...before, cash, bonus, blocked }, (inserted.rowCount ?? 0) > 0);
  });
}

const LEDGER_FILTERS = [
  'tenant_id',
  'player_id',
  'bet_id',
  'round_id',
  'transaction_id',
  'grant_id',
] as const;

/** Ledger entries matching every filter given, oldest first (at most `limit`, default 1000, max 10000). */
export async function listLedger(pool: Pool, query: URLSearchParams) {
  const conditions: string[] = [];
  const values: unknown[] = [];
  for (const name of LEDGER_FILTERS) {
    const value = query.get(name);
    if (value === null) continue;
    values.push(value);
    conditions.push(`${name} = $${values.length}`);
  }
  const limit = Number(query.get('limit') ?? 1000);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000)
    throw new WalletError(WalletErrorCode.InvalidRequest, 'limit must be 1..10000');
  values.push(limit);
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const { rows } = await pool.query(
    `SELECT * FROM ledger_entries ${where} ORDER BY id LIMIT $${values.length}`,
    values,
  );
  return {
    entries: (rows as Record<string, unknown>[]).map((row) => ({
      id: minorUnits(row['id'] as string),
      tenant_id: row['tenant_id'],
      player_id: row['player_id'],
      transaction_id: row['transaction_id'],
      kind: row['kind'],
      amount: { minor_units: minorUnits(row['amount_minor_units'] as string), currency: row['currency'] },
      cash_delta_minor_units: minorUnits(row['cash_delta_minor_units'] as string),
      bonus_delta_minor_units: minorUnits(row['bonus_delta_minor_units'] as string),
      reverses_transaction_id: row['reverses_transaction_id'],
      bet_id: row['bet_id'],
      round_id: row['round_id'],
      grant_id: row['grant_id'],
      created_at: (row['created_at'] as Date).toISOString(),
    })),
  };
}

/**
 * Counts and sums of the ledger per kind and currency (one tenant, or all), and the accounts' balances: what a
 * benchmark compares with what it sent to prove nothing was lost or duplicated.
 */
export async function ledgerTotals(pool: Pool, tenantId: string | null) {
  const filter = tenantId === null ? '' : 'WHERE tenant_id = $1';
  const values = tenantId === null ? [] : [tenantId];
  const [ledger, accounts] = await Promise.all([
    pool.query(
      `SELECT kind, currency, count(*) AS count, sum(amount_minor_units) AS minor_units,
         sum(cash_delta_minor_units) AS cash_delta, sum(bonus_delta_minor_units) AS bonus_delta
       FROM ledger_entries ${filter} GROUP BY kind, currency ORDER BY kind, currency`,
      values,
    ),
    pool.query(
      `SELECT currency, count(*) AS count, sum(cash_minor_units) AS cash, sum(bonus_minor_units) AS bonus
       FROM accounts ${filter} GROUP BY currency ORDER BY currency`,
      values,
    ),
  ]);
  return {
    tenant_id: tenantId,
    totals: (ledger.rows as Record<string, string>[]).map((row) => ({
      kind: row['kind'],
      currency: row['currency'],
      count: minorUnits(row['count'] ?? 0),
      minor_units: minorUnits(row['minor_units'] ?? 0),
      cash_delta_minor_units: minorUnits(row['cash_delta'] ?? 0),
      bonus_delta_minor_units: minorUnits(row['bonus_delta'] ?? 0),
    })),
    accounts: (accounts.rows as Record<string, string>[]).map((row) => ({
      currency: row['currency'],
      count: minorUnits(row['count'] ?? 0),
      cash_minor_units: minorUnits(row['cash'] ?? 0),
      bonus_minor_units: minorUnits(row['bonus'] ?? 0),
    })),
  };
}
