import { type Pool } from 'pg';

import { type Transaction } from '@pitboss/event-store';

/** One immutable version of one configuration document (e.g. a game's config in one region). */
export interface ConfigVersion<TDocument = unknown> {
  readonly seq: number;
  readonly tenantId: string;
  readonly namespace: string;
  readonly key: string;
  readonly version: number;
  readonly document: TDocument;
  readonly changeRequestId: string | null;
  readonly createdAt: Date;
}

/** The NOTIFY channel a schema's config changes are announced on (one per schema: tests share a database). */
export function configChannelOf(schema: string): string {
  return `pitboss_config_${schema}`.slice(0, 63);
}

/**
 * Versioned configuration: every change is a new version (going back is a new version equal to an old one);
 * versions are never updated or deleted (triggers). Appending announces the version with NOTIFY, which Postgres
 * delivers to the listening replicas when the transaction commits (see ConfigCache).
 */
export class PostgresVersionedConfig {
  constructor(private readonly schema: string) {}

  async current<T>(
    db: Pool | Transaction,
    tenantId: string,
    namespace: string,
    key: string,
  ): Promise<ConfigVersion<T> | null> {
    const { rows } = await db.query(
      `SELECT * FROM config_versions WHERE tenant_id = $1 AND namespace = $2 AND key = $3
        ORDER BY version DESC LIMIT 1`,
      [tenantId, namespace, key],
    );
    return rows[0] === undefined ? null : versionOf<T>(rows[0]);
  }

  /** Every version of a namespace for a tenant, oldest first (history; frozen math versions). */
  async history<T>(db: Pool | Transaction, tenantId: string, namespace: string): Promise<ConfigVersion<T>[]> {
    const { rows } = await db.query(
      'SELECT * FROM config_versions WHERE tenant_id = $1 AND namespace = $2 ORDER BY seq',
      [tenantId, namespace],
    );
    return rows.map((row) => versionOf<T>(row));
  }

  /**
   * Appends the next version of (tenant, namespace, key). Takes a transaction-scoped advisory lock on the key,
   * so two appends to one key get consecutive versions instead of one failing on the unique version.
   */
  async append<T>(
    tx: Transaction,
    tenantId: string,
    namespace: string,
    key: string,
    document: T,
    changeRequestId: string | null,
  ): Promise<ConfigVersion<T>> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`config:${tenantId}:${namespace}:${key}`]);
    const { rows } = await tx.query(
      `INSERT INTO config_versions (tenant_id, namespace, key, version, document, change_request_id)
       SELECT $1, $2, $3, coalesce(max(version), 0) + 1, $4::jsonb, $5
         FROM config_versions WHERE tenant_id = $1 AND namespace = $2 AND key = $3
       RETURNING *`,
      [tenantId, namespace, key, JSON.stringify(document), changeRequestId],
    );
    const version = versionOf<T>(rows[0]);
    await tx.query('SELECT pg_notify($1, $2)', [configChannelOf(this.schema), String(version.seq)]);
    return version;
  }

  /** Versions recorded after `seq` (what a replica has not seen yet), in order. */
  async since(db: Pool | Transaction, seq: number, namespace: string): Promise<ConfigVersion[]> {
    const { rows } = await db.query(
      'SELECT * FROM config_versions WHERE seq > $1 AND namespace = $2 ORDER BY seq',
      [seq, namespace],
    );
    return rows.map((row) => versionOf(row));
  }
}

function versionOf<T>(row: Record<string, unknown>): ConfigVersion<T> {
  return {
    seq: Number(row['seq']),
    tenantId: row['tenant_id'] as string,
    namespace: row['namespace'] as string,
    key: row['key'] as string,
    version: row['version'] as number,
    document: row['document'] as T,
    changeRequestId: (row['change_request_id'] as string | null) ?? null,
    createdAt: row['created_at'] as Date,
  };
}
