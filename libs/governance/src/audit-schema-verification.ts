import { createPool, PostgresEventStore } from '@pitboss/event-store';
import { type ChainVerdict } from '@pitboss/governance-domain';
import { createKafka, createSchemaRegistry, EventCodec, TopicNaming } from '@pitboss/messaging';
import { infrastructureConfig, serviceSchema } from '@pitboss/platform-config';

import { latestCheckpointOf, type PublishedCheckpoint } from './audit-checkpoint-reader';
import { PostgresAuditJournal } from './audit-journal';
import { verifyAuditJournal } from './audit-verification';

type Env = Readonly<Record<string, string | undefined>>;

export interface AuditVerifyOptions {
  /** The journal's schema; bet-gateway's (`DATABASE_SCHEMA` or its default) unless given. */
  readonly schema?: string;
  /** Also say how many of this tenant's entries lie in the verified part of the chain and after a break. */
  readonly tenant?: string;
  /** Skip the comparison with audit.v1 (a deleted tail then goes unnoticed if the head row was rewound too). */
  readonly checkpoint?: boolean;
  readonly timeoutMs?: number;
}

export interface AuditVerifyReport {
  readonly schema: string;
  readonly verdict: ChainVerdict;
  readonly checkpoint: PublishedCheckpoint | null;
  readonly tenant?: { readonly id: string; readonly verified: number; readonly atOrAfterBreak: number };
  /** 0: the chain verified (against the latest checkpoint when there is one); 1: it did not. */
  readonly exitCode: 0 | 1;
  readonly lines: readonly string[];
}

/**
 * `npm run audit:verify`: recomputes a schema's audit chain from the first entry, compares its end with the
 * journal's head row and with the latest `audit.checkpoint` the schema published on audit.v1 (read from Kafka
 * through the registry), and names the first broken link or the missing tail.
 */
export async function verifyAuditSchema(
  options: AuditVerifyOptions,
  env: Env = process.env,
): Promise<AuditVerifyReport> {
  const config = infrastructureConfig(env);
  const schema = options.schema ?? serviceSchema('bet-gateway', env);
  const checkpoint =
    options.checkpoint === false ? null : await readCheckpoint(schema, options.timeoutMs, env);
  const pool = createPool({
    databaseUrl: config.databaseUrl,
    schema,
    maxConnections: 2,
    applicationName: 'audit-verify',
  });
  try {
    const journal = new PostgresAuditJournal(schema, new PostgresEventStore({ region: config.region }));
    const verdict = await verifyAuditJournal(pool, journal, checkpoint);
    const tenant =
      options.tenant === undefined ? undefined : await tenantCounts(pool, options.tenant, verdict);
    const exitCode = verdict.ok ? 0 : 1;
    return {
      schema,
      verdict,
      checkpoint,
      ...(tenant ? { tenant } : {}),
      exitCode,
      lines: linesOf(schema, verdict, checkpoint, options, tenant),
    };
  } finally {
    await pool.end();
  }
}

async function readCheckpoint(
  schema: string,
  timeoutMs: number | undefined,
  env: Env,
): Promise<PublishedCheckpoint | null> {
  const config = infrastructureConfig(env);
  const naming = new TopicNaming(config.topicPrefix);
  return latestCheckpointOf({
    kafka: createKafka(config, '-audit-verify'),
    codec: new EventCodec(createSchemaRegistry(config.schemaRegistryUrl), naming),
    naming,
    schema,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

async function tenantCounts(pool: ReturnType<typeof createPool>, tenant: string, verdict: ChainVerdict) {
  const breakAt = verdict.broken?.sequence ?? Number.MAX_SAFE_INTEGER;
  const { rows } = await pool.query<{ verified: string; after: string }>(
    `SELECT count(*) FILTER (WHERE sequence < $2) AS verified, count(*) FILTER (WHERE sequence >= $2) AS after
       FROM audit_journal WHERE tenant_id = $1`,
    [tenant, breakAt],
  );
  return {
    id: tenant,
    verified: Number(rows[0]?.verified ?? 0),
    atOrAfterBreak: Number(rows[0]?.after ?? 0),
  };
}

function linesOf(
  schema: string,
  verdict: ChainVerdict,
  checkpoint: PublishedCheckpoint | null,
  options: AuditVerifyOptions,
  tenant: AuditVerifyReport['tenant'],
): string[] {
  const lines = [
    `audit:verify ${schema}: ${verdict.entries} entries recomputed, chain verified up to ${verdict.head.sequence}`,
  ];
  if (options.checkpoint === false) lines.push('checkpoint: not compared (--no-checkpoint)');
  else if (checkpoint === null)
    lines.push(`checkpoint: none published on audit.v1 for ${schema} (a deleted tail cannot be detected)`);
  else {
    lines.push(
      `checkpoint: sequence ${checkpoint.sequence} hash ${checkpoint.hash} from ${checkpoint.source} at ${checkpoint.publishedAt} (audit.v1 partition ${checkpoint.partition} offset ${checkpoint.offset})`,
    );
  }
  if (tenant)
    lines.push(
      `tenant ${tenant.id}: ${tenant.verified} entries verified, ${tenant.atOrAfterBreak} at or after the break`,
    );
  lines.push(
    verdict.ok
      ? 'OK: every link verifies'
      : `BROKEN at sequence ${verdict.broken?.sequence}: ${verdict.broken?.problem}: ${verdict.broken?.detail}`,
  );
  return lines;
}
