import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import { DATABASE_POOL, PostgresEventStore, type Transaction } from '@pitboss/event-store';
import { readAsTenant } from '@pitboss/governance';
import {
  type ContributionRule,
  type ContributionSchemaVersion,
  type MatchKind,
} from '@pitboss/wagering-domain';

import { WAGERING_CONFIG } from '../wagering-progress.tokens';
import { type WageringProgressConfig } from '../wagering-progress.config';

type Queryable = Pick<Pool, 'query'> | Transaction;

export interface PublishedSchemaVersion extends ContributionSchemaVersion {
  readonly publishedBy: string;
  readonly publishedAt: Date;
  readonly changeRequestId: string | null;
}

/** The stream whose events publish a schema's versions on promo.wagering.v1. */
export function contributionSchemaStreamId(tenantId: string, schemaId: string): string {
  return `contribution-schema:${tenantId}:${schemaId}`;
}

/**
 * Contribution schema versions. A version is written once (the table refuses updates) with its
 * `contribution_schema.published` event in the same transaction; immutability is also what lets every replica
 * keep versions in memory once read.
 */
@Injectable()
export class ContributionSchemasRepository {
  private readonly cache = new Map<string, ContributionSchemaVersion>();

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly store: PostgresEventStore,
    @Inject(WAGERING_CONFIG) private readonly config: WageringProgressConfig,
  ) {}

  /** Publishes the next version of the schema (1 for a new one); returns it. */
  async publishNext(
    tx: Transaction,
    tenantId: string,
    draft: { schemaId: string; rules: readonly ContributionRule[]; defaultPctBp: number },
    publishedBy: string,
    changeRequestId: string,
  ): Promise<ContributionSchemaVersion> {
    // The stream's version is the schema's: appending at the expected version serialises two publications.
    const streamId = contributionSchemaStreamId(tenantId, draft.schemaId);
    const { rows } = await tx.query<{ version: number }>(
      'SELECT version FROM streams WHERE stream_id = $1 FOR UPDATE',
      [streamId],
    );
    const current = rows[0]?.version ?? 0;
    const version = current + 1;
    await tx.query(
      `INSERT INTO contribution_schemas
         (tenant_id, schema_id, version, rules, default_pct_bp, published_by, change_request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        tenantId,
        draft.schemaId,
        version,
        JSON.stringify(draft.rules),
        draft.defaultPctBp,
        publishedBy,
        changeRequestId,
      ],
    );
    await this.store.appendToStream(
      tx,
      streamId,
      current === 0 ? 'no_stream' : current,
      [
        {
          type: 'contribution_schema.published',
          data: {
            schema_id: draft.schemaId,
            version,
            rules: draft.rules.map((rule) => ({
              match_kind: rule.match.kind,
              match_value: rule.match.value,
              pct_bp: rule.pctBp,
            })),
            default_pct_bp: draft.defaultPctBp,
            published_by: publishedBy,
          },
        },
      ],
      { tenantId, causationId: changeRequestId },
    );
    return { schemaId: draft.schemaId, version, rules: draft.rules, defaultPctBp: draft.defaultPctBp };
  }

  /** One version (from memory once read: versions never change); null when it does not exist. */
  async version(
    tenantId: string,
    schemaId: string,
    version: number,
    db: Queryable = this.pool,
  ): Promise<ContributionSchemaVersion | null> {
    const key = `${tenantId}\u0000${schemaId}\u0000${version}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const { rows } = await db.query(
      'SELECT * FROM contribution_schemas WHERE tenant_id = $1 AND schema_id = $2 AND version = $3',
      [tenantId, schemaId, version],
    );
    if (rows[0] === undefined) return null;
    const found = versionOf(rows[0]);
    this.cache.set(key, found);
    return found;
  }

  /** Every version of a schema of the tenant, oldest first (read as the tenant, row-level security). */
  versions(tenantId: string, schemaId: string): Promise<PublishedSchemaVersion[]> {
    return readAsTenant(this.pool, this.config.schema, tenantId, async (tx) => {
      const { rows } = await tx.query(
        'SELECT * FROM contribution_schemas WHERE schema_id = $1 ORDER BY version',
        [schemaId],
      );
      return rows.map(versionOf);
    });
  }
}

function versionOf(row: Record<string, unknown>): PublishedSchemaVersion {
  const rules = (row['rules'] as { match: { kind: MatchKind; value: string }; pctBp: number }[]).map(
    (rule): ContributionRule => ({ match: rule.match, pctBp: rule.pctBp }),
  );
  return {
    schemaId: row['schema_id'] as string,
    version: row['version'] as number,
    rules,
    defaultPctBp: row['default_pct_bp'] as number,
    publishedBy: row['published_by'] as string,
    publishedAt: row['published_at'] as Date,
    changeRequestId: (row['change_request_id'] as string | null) ?? null,
  };
}
