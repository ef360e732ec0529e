import { type Pool } from 'pg';

import { type AuditEntry, type ChainHead, nextEntry } from '@pitboss/governance-domain';
import { type PostgresEventStore, type Transaction } from '@pitboss/event-store';

import { readAsTenant } from './tenant-reads';

/** What a caller records; the journal adds the sequence, the link and the hash. */
export interface AuditRecord {
  readonly actor: { readonly subject: string; readonly clientId: string; readonly tenantId: string };
  readonly action: string;
  readonly subject: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly reason?: string | null;
  readonly traceId?: string | null;
  readonly occurredAt?: Date;
}

export interface AuditQuery {
  readonly subject?: string;
  /** The actor's subject (`sub` of the token that acted). */
  readonly actor?: string;
  readonly action?: string;
  /** Inclusive. */
  readonly from?: Date;
  /** Exclusive. */
  readonly to?: Date;
  /** Entries below this sequence only: the page after one that ended at this sequence (newest first). */
  readonly beforeSequence?: number;
  readonly limit: number;
}

/** The stream whose events carry the chain head out of the database, through the outbox, to `audit.v1`. */
export const AUDIT_CHECKPOINT_STREAM = 'audit:checkpoints';
/** Checkpoints are the platform's, not a tenant's: their envelope names this tenant. */
export const PLATFORM_TENANT = 'platform';

const COLUMNS = `sequence, occurred_at, actor_subject, actor_client_id, tenant_id, action, subject, before, after,
  reason, trace_id, prev_hash, hash`;

/**
 * The WORM audit journal of one service schema: one hash chain, appended inside the caller's transaction (an
 * admin change and its entry commit together), serialised on the chain head's row lock.
 */
export class PostgresAuditJournal {
  constructor(
    private readonly schema: string,
    private readonly eventStore: PostgresEventStore,
  ) {}

  async append(tx: Transaction, record: AuditRecord): Promise<AuditEntry> {
    const head = await this.lockHead(tx);
    const entry = nextEntry(head, {
      occurred_at: (record.occurredAt ?? new Date()).toISOString(),
      actor: {
        subject: record.actor.subject,
        client_id: record.actor.clientId,
        tenant_id: record.actor.tenantId,
      },
      action: record.action,
      subject: record.subject,
      before: record.before ?? null,
      after: record.after ?? null,
      reason: record.reason ?? null,
      trace_id: record.traceId ?? null,
    });
    await tx.query(
      `INSERT INTO audit_journal (${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12, $13)`,
      [
        entry.sequence,
        entry.occurred_at,
        entry.actor.subject,
        entry.actor.client_id,
        entry.actor.tenant_id,
        entry.action,
        entry.subject,
        JSON.stringify(entry.before),
        JSON.stringify(entry.after),
        entry.reason,
        entry.trace_id,
        entry.prev_hash,
        entry.hash,
      ],
    );
    await tx.query('UPDATE audit_chain_head SET sequence = $1, hash = $2', [entry.sequence, entry.hash]);
    return entry;
  }

  /**
   * Publishes the chain head as `audit.checkpoint` through the outbox, unless the last checkpoint already
   * names it. Under the head's lock, so checkpoints from several replicas are published in chain order.
   */
  async publishCheckpoint(tx: Transaction, source: string): Promise<ChainHead | null> {
    const head = await this.lockHead(tx);
    const { rows } = await tx.query<{ version: number; data: { sequence: number } | null }>(
      `SELECT s.version, e.data FROM streams s
         LEFT JOIN events e ON e.stream_id = s.stream_id AND e.stream_version = s.version
        WHERE s.stream_id = $1`,
      [AUDIT_CHECKPOINT_STREAM],
    );
    const last = rows[0];
    if (head.sequence === 0 || (last?.data && Number(last.data.sequence) === head.sequence)) return null;
    await this.eventStore.appendToStream(
      tx,
      AUDIT_CHECKPOINT_STREAM,
      last === undefined ? 'no_stream' : last.version,
      [
        {
          type: 'audit.checkpoint',
          data: {
            source,
            schema: this.schema,
            sequence: head.sequence,
            hash: head.hash,
            published_at: new Date().toISOString(),
          },
        },
      ],
      { tenantId: PLATFORM_TENANT },
    );
    return head;
  }

  /** Entries in sequence order, `pageSize` at a time (for verification; as the owner, across tenants). */
  async *entries(db: Pool | Transaction, pageSize = 1_000): AsyncGenerator<AuditEntry> {
    let after = 0;
    for (;;) {
      const { rows } = await db.query(
        `SELECT ${COLUMNS} FROM audit_journal WHERE sequence > $1 ORDER BY sequence LIMIT $2`,
        [after, pageSize],
      );
      for (const row of rows) yield entryOf(row);
      if (rows.length < pageSize) return;
      after = Number(rows.at(-1).sequence);
    }
  }

  async hashAt(db: Pool | Transaction, sequence: number): Promise<string | undefined> {
    const { rows } = await db.query<{ hash: string }>('SELECT hash FROM audit_journal WHERE sequence = $1', [
      sequence,
    ]);
    return rows[0]?.hash;
  }

  /**
   * `GET /v1/audit`: the caller's tenant's entries only, newest first. No `WHERE tenant_id` on purpose: the read
   * runs as the schema's reader role, and row-level security is what keeps other tenants' entries out.
   */
  query(pool: Pool, tenantId: string, filter: AuditQuery): Promise<AuditEntry[]> {
    return readAsTenant(pool, this.schema, tenantId, async (tx) => {
      const { rows } = await tx.query(
        `SELECT ${COLUMNS} FROM audit_journal
          WHERE ($1::text IS NULL OR subject = $1) AND ($2::text IS NULL OR actor_subject = $2)
            AND ($3::text IS NULL OR action = $3)
            AND ($4::timestamptz IS NULL OR occurred_at >= $4) AND ($5::timestamptz IS NULL OR occurred_at < $5)
            AND ($6::bigint IS NULL OR sequence < $6)
          ORDER BY sequence DESC LIMIT $7`,
        [
          filter.subject ?? null,
          filter.actor ?? null,
          filter.action ?? null,
          filter.from ?? null,
          filter.to ?? null,
          filter.beforeSequence ?? null,
          filter.limit,
        ],
      );
      return rows.map(entryOf);
    });
  }

  /** The head row as it stands (no lock): what the last append recorded. */
  async storedHead(db: Pool | Transaction): Promise<ChainHead> {
    const { rows } = await db.query<{ sequence: string; hash: string }>(
      'SELECT sequence, hash FROM audit_chain_head',
    );
    const row = rows[0];
    if (row === undefined) throw new Error('audit_chain_head is missing: run the governance migrations');
    return { sequence: Number(row.sequence), hash: row.hash };
  }

  private async lockHead(tx: Transaction): Promise<ChainHead> {
    const { rows } = await tx.query<{ sequence: string; hash: string }>(
      'SELECT sequence, hash FROM audit_chain_head FOR UPDATE',
    );
    const row = rows[0];
    if (row === undefined) throw new Error('audit_chain_head is missing: run the governance migrations');
    return { sequence: Number(row.sequence), hash: row.hash };
  }
}

function entryOf(row: Record<string, unknown>): AuditEntry {
  return {
    sequence: Number(row['sequence']),
    occurred_at: (row['occurred_at'] as Date).toISOString(),
    actor: {
      subject: row['actor_subject'] as string,
      client_id: row['actor_client_id'] as string,
      tenant_id: row['tenant_id'] as string,
    },
    action: row['action'] as string,
    subject: row['subject'] as string,
    before: row['before'] ?? null,
    after: row['after'] ?? null,
    reason: (row['reason'] as string | null) ?? null,
    trace_id: (row['trace_id'] as string | null) ?? null,
    prev_hash: row['prev_hash'] as string,
    hash: row['hash'] as string,
  };
}
