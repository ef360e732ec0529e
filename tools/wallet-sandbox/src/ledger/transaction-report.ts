import { randomUUID } from 'node:crypto';
import { type ServerResponse } from 'node:http';

import { type Pool } from 'pg';
import { z } from 'zod';

import { withTransaction } from '@pitboss/event-store';

import { lockAccount, minorUnits, moveBalances } from './ledger-rows';
import { WalletError, WalletErrorCode } from './wallet-error';
import { parseRequest } from './wallet-requests';

/** The report's columns, in order (docs/reconciliation.md documents each). */
export const REPORT_COLUMNS = [
  'transaction_id',
  'kind',
  'amount_minor_units',
  'currency',
  'player_id',
  'booked_at',
  'bet_id',
  'round_id',
  'entry_id',
] as const;

const PAGE_ROWS = 1000;

/**
 * `GET /admin/reports/transactions?tenant_id=&date=YYYY-MM-DD`: the tenant's ledger entries booked that UTC day,
 * as CSV (RFC 4180, header row), seen through the injected report overrides. Streamed a page of entries at a
 * time (keyset on the entry id), so a day of millions of rows never sits in memory.
 */
export async function streamTransactionReport(pool: Pool, query: URLSearchParams, response: ServerResponse) {
  const tenantId = query.get('tenant_id');
  const date = query.get('date') ?? '';
  if (!tenantId) throw new WalletError(WalletErrorCode.InvalidRequest, 'tenant_id is required');
  const start = Date.parse(`${date}T00:00:00.000Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    Number.isNaN(start) ||
    new Date(start).toISOString().slice(0, 10) !== date
  )
    throw new WalletError(WalletErrorCode.InvalidRequest, 'date must be a calendar date YYYY-MM-DD');
  const end = start + 86_400_000;

  response.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="transactions-${tenantId}-${date}.csv"`,
  });
  await write(response, `${REPORT_COLUMNS.join(',')}\r\n`);
  let afterId = 0;
  for (;;) {
    const { rows } = await pool.query<Record<string, unknown>>(
      `SELECT e.id, e.transaction_id, e.kind, coalesce(o.amount_minor_units, e.amount_minor_units) AS amount,
              e.currency, e.player_id, coalesce(o.booked_at, e.created_at) AS booked_at, e.bet_id, e.round_id,
              CASE WHEN coalesce(o.duplicated, false) THEN 2 ELSE 1 END AS copies
         FROM ledger_entries e
         LEFT JOIN report_overrides o ON o.tenant_id = e.tenant_id AND o.transaction_id = e.transaction_id
        WHERE e.tenant_id = $1 AND e.id > $2 AND NOT coalesce(o.dropped, false)
          AND coalesce(o.booked_at, e.created_at) >= to_timestamp($3 / 1000.0)
          AND coalesce(o.booked_at, e.created_at) < to_timestamp($4 / 1000.0)
        ORDER BY e.id LIMIT ${PAGE_ROWS}`,
      [tenantId, afterId, start, end],
    );
    if (rows.length === 0) break;
    const lines = rows.flatMap((row) => Array<string>(Number(row['copies'])).fill(csvLine(row)));
    await write(response, lines.join(''));
    afterId = Number(rows[rows.length - 1]?.['id']);
  }
  response.end();
}

function csvLine(row: Record<string, unknown>): string {
  const values = [
    row['transaction_id'],
    row['kind'],
    String(minorUnits(row['amount'] as string)),
    String(row['currency']).trim(),
    row['player_id'],
    (row['booked_at'] as Date).toISOString(),
    row['bet_id'] ?? '',
    row['round_id'] ?? '',
    String(row['id']),
  ];
  return `${values.map((value) => csvField(String(value))).join(',')}\r\n`;
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Waits for the socket to drain when its buffer is full, so a slow reader slows the query loop, not memory. */
function write(response: ServerResponse, chunk: string): Promise<void> {
  if (response.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    response.once('drain', resolve);
    response.once('close', () => reject(new Error('report reader went away')));
  });
}

const id = z.string().min(1).max(255);

const reportOverride = z
  .object({
    tenant_id: id,
    transaction_id: id,
    drop: z.boolean().optional(),
    duplicate: z.boolean().optional(),
    amount_minor_units: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    booked_at: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

/**
 * `PUT /admin/reports/overrides`: how the report misrepresents one ledger entry (dropped, duplicated, another
 * amount, another booking time), for reconciliation tests. The ledger itself is never changed. Fields given
 * replace those of an earlier override of the entry.
 */
export async function setReportOverride(pool: Pool, body: unknown) {
  const override = parseRequest(reportOverride, body);
  const { rowCount } = await pool.query(
    `SELECT 1 FROM ledger_entries WHERE tenant_id = $1 AND transaction_id = $2`,
    [override.tenant_id, override.transaction_id],
  );
  if (!rowCount) throw new WalletError(WalletErrorCode.NotFound, 'no ledger entry with that transaction_id');
  const { rows } = await pool.query<Record<string, unknown>>(
    `INSERT INTO report_overrides AS o (tenant_id, transaction_id, dropped, duplicated, amount_minor_units, booked_at)
     VALUES ($1, $2, coalesce($3, false), coalesce($4, false), $5, $6)
     ON CONFLICT (tenant_id, transaction_id) DO UPDATE SET
       dropped = coalesce($3, o.dropped), duplicated = coalesce($4, o.duplicated),
       amount_minor_units = coalesce($5, o.amount_minor_units), booked_at = coalesce($6, o.booked_at)
     RETURNING dropped, duplicated, amount_minor_units, booked_at`,
    [
      override.tenant_id,
      override.transaction_id,
      override.drop ?? null,
      override.duplicate ?? null,
      override.amount_minor_units ?? null,
      override.booked_at ?? null,
    ],
  );
  const row = rows[0] ?? {};
  return {
    tenant_id: override.tenant_id,
    transaction_id: override.transaction_id,
    drop: row['dropped'],
    duplicate: row['duplicated'],
    amount_minor_units:
      row['amount_minor_units'] === null ? null : minorUnits(row['amount_minor_units'] as string),
    booked_at: row['booked_at'] === null ? null : (row['booked_at'] as Date).toISOString(),
  };
}

const adjustment = z
  .object({
    tenant_id: id,
    player_id: id,
    kind: z.enum(['debit', 'credit']),
    amount_minor_units: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  })
  .strict();

/**
 * `POST /admin/adjustments`: the wallet moves a player's cash on its own (a back-office correction), a real
 * ledger entry with no platform event behind it, keyed `adjustment:<uuid>`; the report shows it like any other.
 */
export async function bookAdjustment(pool: Pool, body: unknown) {
  const request = parseRequest(adjustment, body);
  return withTransaction(pool, async (tx) => {
    const account = await lockAccount(tx, request.tenant_id, request.player_id);
    if (account === undefined) throw new WalletError(WalletErrorCode.PlayerNotFound, 'no such player');
    const delta = request.kind === 'credit' ? request.amount_minor_units : -request.amount_minor_units;
    if (account.cash + delta < 0)
      throw new WalletError(WalletErrorCode.InsufficientFunds, 'cash would go below zero');
    const transactionId = `adjustment:${randomUUID()}`;
    const after = await moveBalances(tx, {
      tenantId: request.tenant_id,
      playerId: request.player_id,
      transactionId,
      kind: request.kind,
      amount: { minor_units: request.amount_minor_units, currency: account.currency },
      cashDelta: delta,
      bonusDelta: 0,
    });
    return { transaction_id: transactionId, cash: { minor_units: after.cash, currency: after.currency } };
  });
}
