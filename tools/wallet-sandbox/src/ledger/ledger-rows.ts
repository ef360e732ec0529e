import { type Transaction } from '@pitboss/event-store';

import { type Money } from './wallet-error';

/** SQL over the sandbox's tables. Postgres returns bigint as text; amounts are converted back here, once. */
export interface AccountRow {
  readonly tenantId: string;
  readonly playerId: string;
  readonly currency: string;
  readonly cash: number;
  readonly bonus: number;
  readonly blocked: boolean;
}

export type StoredOperation = 'debit' | 'credit' | 'rollback' | 'convert' | 'forfeit' | 'tombstone';

export interface TransactionRow {
  readonly transactionId: string;
  readonly playerId: string;
  readonly operation: StoredOperation;
  readonly requestHash: string | null;
  readonly responseStatus: number;
  readonly responseBody: unknown;
  readonly amount: number | null;
}

export interface LedgerEntryInput {
  readonly tenantId: string;
  readonly playerId: string;
  readonly transactionId: string;
  readonly kind: 'debit' | 'credit' | 'rollback' | 'convert' | 'forfeit';
  readonly amount: Money;
  readonly cashDelta: number;
  readonly bonusDelta: number;
  readonly reversesTransactionId?: string;
  readonly betId?: string;
  readonly roundId?: string;
  /** The bonus grant whose funds the movement touched (bonus credit, grant-funded stake, forfeit, convert). */
  readonly grantId?: string;
}

/** What a stored movement did, so a rollback can undo exactly that (cash and bonus parts, the grant's funds). */
export interface LedgerEffect {
  readonly cashDelta: number;
  readonly bonusDelta: number;
  readonly grantId: string | null;
}

type Queryable = Pick<Transaction, 'query'>;

export function minorUnits(value: string | number): number {
  const amount = Number(value);
  if (!Number.isSafeInteger(amount)) throw new Error(`amount ${value} is not a safe integer`);
  return amount;
}

function accountOf(row: Record<string, unknown>): AccountRow {
  return {
    tenantId: row['tenant_id'] as string,
    playerId: row['player_id'] as string,
    currency: row['currency'] as string,
    cash: minorUnits(row['cash_minor_units'] as string),
    bonus: minorUnits(row['bonus_minor_units'] as string),
    blocked: row['blocked'] as boolean,
  };
}

/** The account, locked until the transaction ends: every movement of one player is serialised on this row. */
export async function lockAccount(tx: Queryable, tenantId: string, playerId: string) {
  return selectAccount(tx, tenantId, playerId, 'FOR UPDATE');
}

export async function findAccount(db: Queryable, tenantId: string, playerId: string) {
  return selectAccount(db, tenantId, playerId, '');
}

async function selectAccount(
  db: Queryable,
  tenantId: string,
  playerId: string,
  lock: string,
): Promise<AccountRow | undefined> {
  const { rows } = await db.query(`SELECT * FROM accounts WHERE tenant_id = $1 AND player_id = $2 ${lock}`, [
    tenantId,
    playerId,
  ]);
  return rows[0] === undefined ? undefined : accountOf(rows[0] as Record<string, unknown>);
}

/** Adds the deltas (either may be negative) and returns the account after; the CHECKs refuse a negative balance. */
export async function moveBalances(
  tx: Queryable,
  account: AccountRow,
  cashDelta: number,
  bonusDelta: number,
): Promise<AccountRow> {
  const { rows } = await tx.query(
    `UPDATE accounts SET cash_minor_units = cash_minor_units + $3, bonus_minor_units = bonus_minor_units + $4,
       updated_at = now()
     WHERE tenant_id = $1 AND player_id = $2 RETURNING *`,
    [account.tenantId, account.playerId, cashDelta, bonusDelta],
  );
  return accountOf(rows[0] as Record<string, unknown>);
}

export async function findTransaction(
  db: Queryable,
  tenantId: string,
  transactionId: string,
): Promise<TransactionRow | undefined> {
  const { rows } = await db.query(
    `SELECT transaction_id, player_id, operation, request_hash, response_status, response_body, amount_minor_units
     FROM transactions WHERE tenant_id = $1 AND transaction_id = $2`,
    [tenantId, transactionId],
  );
  const row = rows[0] as Record<string, unknown> | undefined;
  if (row === undefined) return undefined;
  const amount = row['amount_minor_units'] as string | null;
  return {
    transactionId: row['transaction_id'] as string,
    playerId: row['player_id'] as string,
    operation: row['operation'] as StoredOperation,
    requestHash: row['request_hash'] as string | null,
    responseStatus: row['response_status'] as number,
    responseBody: row['response_body'],
    amount: amount === null ? null : minorUnits(amount),
  };
}

export interface TransactionInsert {
  readonly tenantId: string;
  readonly transactionId: string;
  readonly playerId: string;
  readonly operation: StoredOperation;
  readonly requestHash: string | null;
  readonly responseStatus: number;
  readonly responseBody: unknown;
  readonly amount?: Money;
  readonly tombstonedBy?: string;
}

export async function insertTransaction(tx: Queryable, row: TransactionInsert): Promise<void> {
  await tx.query(
    `INSERT INTO transactions (tenant_id, transaction_id, player_id, operation, request_hash, response_status,
       response_body, amount_minor_units, currency, tombstoned_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      row.tenantId,
      row.transactionId,
      row.playerId,
      row.operation,
      row.requestHash,
      row.responseStatus,
      JSON.stringify(row.responseBody),
      row.amount?.minor_units ?? null,
      row.amount?.currency ?? null,
      row.tombstonedBy ?? null,
    ],
  );
}

export async function insertLedgerEntry(tx: Queryable, entry: LedgerEntryInput): Promise<void> {
  await tx.query(
    `INSERT INTO ledger_entries (tenant_id, player_id, transaction_id, kind, amount_minor_units, currency,
       cash_delta_minor_units, bonus_delta_minor_units, reverses_transaction_id, bet_id, round_id, grant_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      entry.tenantId,
      entry.playerId,
      entry.transactionId,
      entry.kind,
      entry.amount.minor_units,
      entry.amount.currency,
      entry.cashDelta,
      entry.bonusDelta,
      entry.reversesTransactionId ?? null,
      entry.betId ?? null,
      entry.roundId ?? null,
      entry.grantId ?? null,
    ],
  );
}

export async function findLedgerEffect(
  db: Queryable,
  tenantId: string,
  transactionId: string,
): Promise<LedgerEffect | undefined> {
  const { rows } = await db.query(
    `SELECT cash_delta_minor_units, bonus_delta_minor_units, grant_id FROM ledger_entries
      WHERE tenant_id = $1 AND transaction_id = $2`,
    [tenantId, transactionId],
  );
  const row = rows[0] as Record<string, unknown> | undefined;
  if (row === undefined) return undefined;
  return {
    cashDelta: minorUnits(row['cash_delta_minor_units'] as string),
    bonusDelta: minorUnits(row['bonus_delta_minor_units'] as string),
    grantId: (row['grant_id'] as string | null) ?? null,
  };
}

/** Whether a movement was already reversed (by a rollback with any key). */
export async function isReversed(tx: Queryable, tenantId: string, transactionId: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    'SELECT 1 FROM ledger_entries WHERE tenant_id = $1 AND reverses_transaction_id = $2',
    [tenantId, transactionId],
  );
  return (rowCount ?? 0) > 0;
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
