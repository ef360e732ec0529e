import { type Pool } from 'pg';

import { type ExpectedMovement, type ReconciliationWindow } from '@pitboss/reconciliation-domain';

/**
 * A rollback is expected only when the bet's debit is: a stake the wallet never took is "rolled back" with no
 * movement (the sandbox tombstones the key).
 */
const EXPECTED = `
  SELECT m.transaction_key, m.tenant_id, m.player_id, m.kind, m.amount_minor_units, m.currency, m.occurred_at
    FROM expected_movements m
   WHERE m.tenant_id = $1 AND m.ledger = $2
     AND (m.kind <> 'rollback' OR EXISTS (
       SELECT 1 FROM expected_movements d
        WHERE d.tenant_id = m.tenant_id AND d.subject_id = m.subject_id AND d.kind = 'debit'))`;

/** wallet: movements on the wallet's transaction report; psp: deposits on the PSP's report. */
export type Ledger = 'wallet' | 'psp';

/** The expected movements of these keys, from any window (a late booking matches one of the window before). */
export async function expectedByKeys(
  pool: Pool,
  tenantId: string,
  ledger: Ledger,
  keys: readonly string[],
): Promise<Map<string, ExpectedMovement>> {
  if (keys.length === 0) return new Map();
  const { rows } = await pool.query(`${EXPECTED} AND m.transaction_key = ANY($3)`, [
    tenantId,
    ledger,
    [...new Set(keys)],
  ]);
  return new Map(
    rows.map((row: Record<string, unknown>) => [row['transaction_key'] as string, movementOf(row)]),
  );
}

/** The window's expected movements, a page at a time in key order (keyset pagination). */
export async function* expectedInWindow(
  pool: Pool,
  tenantId: string,
  ledger: Ledger,
  window: ReconciliationWindow,
  pageSize: number,
): AsyncGenerator<ExpectedMovement[]> {
  let afterKey = '';
  for (;;) {
    const { rows } = await pool.query(
      `${EXPECTED} AND m.occurred_at >= $3 AND m.occurred_at < $4 AND m.transaction_key > $5
       ORDER BY m.transaction_key LIMIT $6`,
      [tenantId, ledger, new Date(window.start), new Date(window.end), afterKey, pageSize],
    );
    if (rows.length === 0) return;
    const page = rows.map((row: Record<string, unknown>) => movementOf(row));
    yield page;
    afterKey = page[page.length - 1]?.transactionKey ?? afterKey;
  }
}

/** Tenants with expected movements in the window (a run without --tenant reconciles each). */
export async function tenantsInWindow(
  pool: Pool,
  window: ReconciliationWindow,
  ledger: Ledger = 'wallet',
): Promise<string[]> {
  const { rows } = await pool.query(
    `SELECT DISTINCT tenant_id FROM expected_movements
      WHERE occurred_at >= $1 AND occurred_at < $2 AND ledger = $3 ORDER BY 1`,
    [new Date(window.start), new Date(window.end), ledger],
  );
  return rows.map((row: { tenant_id: string }) => row.tenant_id);
}

function movementOf(row: Record<string, unknown>): ExpectedMovement {
  return {
    transactionKey: row['transaction_key'] as string,
    tenantId: row['tenant_id'] as string,
    playerId: row['player_id'] as string,
    kind: row['kind'] as ExpectedMovement['kind'],
    minorUnits: Number(row['amount_minor_units']),
    currency: (row['currency'] as string).trim(),
    occurredAt: (row['occurred_at'] as Date).getTime(),
  };
}
