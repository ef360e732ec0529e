import { type Client } from 'pg';

import { ticksDelta, type CpuReading, type TicksDelta } from './cost-figures';
import { readPostgresCpu } from './postgres-cpu';
import { readPeakRssKb, readProcessCpu, readStat } from './process-cpu';
import { type CostRowName } from './relay-comparison';
import { clientSocketOwners, stackProcesses, type WatchedProcess } from './watched-processes';

export interface CostReading {
  readonly at: number;
  readonly cpu: ReadonlyMap<CostRowName, CpuReading>;
}

export interface CostTarget {
  /** The relay's Node process or Debezium's JVM. */
  readonly relayerPid: number;
  readonly postmasterPid: number;
  readonly port: number;
  /** A connection to the bench database (pg_stat_activity, pg_stat_database). */
  readonly db: Client;
}

/** Kafka is the stack's broker, shared with whoever else uses the machine: found once, on first use. */
let kafka: WatchedProcess | undefined;
function kafkaProcess(): WatchedProcess | undefined {
  kafka ??= stackProcesses().find((process) => process.label.startsWith('kafka'));
  return kafka;
}

export interface TransactionCount {
  readonly commits: number;
  readonly rollbacks: number;
}

/**
 * The bench database's commits and rollbacks so far (pg_stat_database), apart: logical decoding opens a catalog
 * transaction per decoded transaction and aborts it, so a WAL sender's work shows as rollbacks.
 */
export async function readTransactions(db: Client): Promise<TransactionCount | undefined> {
  const result = await db
    .query<{ commits: string; rollbacks: string }>(
      `SELECT xact_commit::text AS commits, xact_rollback::text AS rollbacks
         FROM pg_stat_database WHERE datname = current_database()`,
    )
    .catch(() => undefined);
  const row = result?.rows[0];
  return row ? { commits: Number(row.commits), rollbacks: Number(row.rollbacks) } : undefined;
}

/** One reading of every cost row from /proc (Postgres's backends found through pg_stat_activity). */
export async function readCost(target: CostTarget): Promise<CostReading> {
  // One after the other: they share one connection.
  const postgres = await readPostgresCpu(
    target.postmasterPid,
    target.port,
    target.db,
    new Set([target.relayerPid]),
  );
  const backends = await readRelayerBackends(target);
  return {
    at: Date.now(),
    cpu: new Map<CostRowName, CpuReading>([
      ['relayer', readProcessCpu(target.relayerPid)],
      ['relayer backends', backends],
      ['kafka', kafkaProcess()?.read() ?? { kind: 'missing', why: 'no Kafka process found' }],
      ['postgres', postgres.server],
    ]),
  };
}

export function costDeltas(before: CostReading, after: CostReading): Map<CostRowName, TicksDelta> {
  const deltas = new Map<CostRowName, TicksDelta>();
  for (const [row, reading] of before.cpu) {
    const later = after.cpu.get(row);
    deltas.set(row, later ? ticksDelta(reading, later) : { ok: false, why: 'not read at the end' });
  }
  return deltas;
}

/**
 * Every backend whose client socket the relayer holds, whatever its type: the relay's one connection, and for
 * Debezium its WAL sender (where logical decoding runs) plus its JDBC connection.
 */
async function readRelayerBackends(target: CostTarget): Promise<CpuReading> {
  const activity = await target.db.query<{ pid: number; client_port: number | null }>(
    'SELECT pid, client_port FROM pg_stat_activity WHERE client_port IS NOT NULL',
  );
  const owners = clientSocketOwners(target.port);
  const parts = new Map<string, number>();
  let peakRssKb = 0;
  for (const row of activity.rows) {
    if (row.client_port === null || owners.get(row.client_port) !== target.relayerPid) continue;
    const stat = readStat(row.pid);
    if (stat === undefined) continue;
    parts.set(`${row.pid}@${stat.starttime}`, stat.utime + stat.stime);
    peakRssKb = Math.max(peakRssKb, readPeakRssKb(row.pid) ?? 0);
  }
  return { kind: 'parts', parts, peakRssKb: peakRssKb || undefined };
}
