import { type Pool } from 'pg';

import { type Transaction, withTransaction } from '@pitboss/event-store';

import { readerRoleOf } from './migrations/tenant-reader-role';

/**
 * Runs `read` in a transaction as the schema's reader role with `app.tenant_id` set to the caller's tenant, so
 * row-level security decides what it sees: a query that forgets `WHERE tenant_id` still sees only this
 * tenant's rows. Both settings are transaction-local and end with it, so the pooled connection returns clean.
 */
export function readAsTenant<T>(
  pool: Pool,
  schema: string,
  tenantId: string,
  read: (tx: Transaction) => Promise<T>,
): Promise<T> {
  return withTransaction(pool, async (tx) => {
    await tx.query(`SET LOCAL ROLE ${readerRoleOf(schema)}`);
    await tx.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    return read(tx);
  });
}
