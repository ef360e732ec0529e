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

/**
 * The movement in one statement: adds the deltas (either may be negative) to the account's balances, appends its
 * ledger entry, and returns the account after. The entry is inserted from the updated row, so there is none
 * without the balance change; the CHECKs refuse a negative balance and with it the whole statement. With
 * `answer`, the same statement also stores the answer under its key (`insertTransaction`'s row, from the updated
 * row too): one round trip fewer for a plain debit or credit, whose answer is known before the statement.
 */
export async function moveBalances(
  tx: Queryable,
  entry: LedgerEntryInput,
  answer?: TransactionInsert,
): Promise<AccountRow> {
  const answered = answer
    ? `, answered AS (
       INSERT INTO transactions (tenant_id, transaction_id, player_id, operation, request_hash, response_status,
         response_body, amount_minor_units, currency, tombstoned_by)
       SELECT $13::text, $14::text, $15::text, $16::text, $17::text, $18::int, $19::json, $20::bigint, $21::char(3),
         $22::text
         FROM moved
     )`
    : '';
  const { rows } = await tx.query(
    `WITH moved AS (
       UPDATE accounts SET cash_minor_units = cash_minor_units + $7::bigint,
         bonus_minor_units = bonus_minor_units + $8::bigint, updated_at = now()
        WHERE tenant_id = $1 AND player_id = $2 RETURNING *
     ), entry AS (
       INSERT INTO ledger_entries (tenant_id, player_id, transaction_id, kind, amount_minor_units, currency,
         cash_delta_minor_units, bonus_delta_minor_units, reverses_transaction_id, bet_id, round_id, grant_id)
       SELECT tenant_id, player_id, $3::text, $4::text, $5::bigint, $6::char(3), $7::bigint, $8::bigint, $9::text,
         $10::text, $11::text, $12::text
         FROM moved
     )${answered}
     SELECT * FROM moved`,
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
      ...(answer ? transactionValues(answer) : []),
    ],
  );
  const moved = rows[0] as Record<string, unknown> | undefined;
  if (moved === undefined) throw new Error(`no account ${entry.tenantId}/${entry.playerId} to move`);
  return accountOf(moved);
}

// `player_id` under another name so it does not clash with the account's in `lockAccountAndFind`'s join.
const TRANSACTION_COLUMNS = `t.transaction_id, t.player_id AS transaction_player_id, t.operation, t.request_hash,
  t.response_status, t.response_body, t.amount_minor_units`;

export async function findTransaction(
  db: Queryable,
  tenantId: string,
  transactionId: string,
): Promise<TransactionRow | undefined> {
  const { rows } = await db.query(
    `SELECT ${TRANSACTION_COLUMNS} FROM transactions t WHERE t.tenant_id = $1 AND t.transaction_id = $2`,
    [tenantId, transactionId],
  );
  return transactionOf(rows[0] as Record<string, unknown> | undefined);
}

export interface LockedOperation {
  readonly account: AccountRow | undefined;
  /** What is already stored under the operation's key. */
  readonly stored: TransactionRow | undefined;
}

/**
 * `lockAccount` and `findTransaction` of the operation's key in one statement (one round trip of the two every
 * movement starts with). The key is read in the statement's snapshot, taken before the lock wait: a concurrent
 * execution of the same key (or a rollback's tombstone of it) that commits during the wait is not seen here, but
 * its stored row then refuses this one's insert (a unique violation, which rolls back all this one did), and
 * `WalletLedger.execute` answers with that stored row.
 */
export async function lockAccountAndFind(
  tx: Queryable,
  tenantId: string,
  playerId: string,
  transactionId: string,
): Promise<LockedOperation> {
  const { rows } = await tx.query(
    `WITH account AS (SELECT * FROM accounts WHERE tenant_id = $1 AND player_id = $2 FOR UPDATE)
     SELECT a.*, ${TRANSACTION_COLUMNS}
       FROM (VALUES (1)) AS one
       LEFT JOIN account a ON true
       LEFT JOIN transactions t ON t.tenant_id = $1 AND t.transaction_id = $3`,
    [tenantId, playerId, transactionId],
  );
  const row = rows[0] as Record<string, unknown>;
  return {
    account: row['tenant_id'] === null ? undefined : accountOf(row),
    stored: transactionOf(row['transaction_id'] === null ? undefined : row),
  };
}

function transactionOf(row: Record<string, unknown> | undefined): TransactionRow | undefined {
  if (row === undefined) return undefined;
  const amount = row['amount_minor_units'] as string | null;
  return {
    transactionId: row['transaction_id'] as string,
    playerId: row['transaction_player_id'] as string,
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
    transactionValues(row),
  );
}

/** A `transactions` row's ten values, in the column order both inserts name. */
function transactionValues(row: TransactionInsert): unknown[] {
  return [
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
  ];
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
