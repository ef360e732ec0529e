import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { createPool, eventStoreMigrations, PostgresEventStore, runMigrations } from '@pitboss/event-store';
import { collectEvents, expectEventually, provisionTestTopics, type TestTopics } from '@pitboss/testing';

import { type BenchPostgres } from './bench-postgres';
import { clockTicksPerSecond } from './process-cpu';
import { type SideFigures } from './relay-comparison';
import { latenciesSince, tallyDeliveries, type Delivery } from './relay-deliveries';
import {
  costDeltas,
  readCost,
  readTransactions,
  type CostTarget,
  type TransactionCount,
} from './relayer-cost';
import { playRounds, type AppendedEvent, type Tenant } from './relay-rounds';
import { findPostmaster } from './watched-processes';

/** The process that moves one schema's outbox to Kafka: our relay or Debezium. */
export interface Relayer {
  readonly pid: number;
  readonly startMs: number;
  readonly output: readonly string[];
  /** A figure of the relayer's own, read before it stops (the relay's insert→ack mean from its /metrics). */
  readonly note?: () => Promise<string>;
  /** Stops the process; the next start on the same schema carries on where it stopped (rows, slot, offsets). */
  pause(): Promise<void>;
  /** Stops the process and removes what it kept (Debezium: its slot and offsets). */
  stop(): Promise<void>;
}

export interface SideOptions {
  readonly label: string;
  readonly pg: BenchPostgres;
  readonly events: number;
  /** Events appended while the relayer is stopped, then drained by a fresh start of it; 0 skips that phase. */
  readonly backlog: number;
  readonly writers: number;
  readonly partitions: number;
  readonly tenants: readonly Tenant[];
  /** When the drain waits give up (epoch ms): the rest is reported as missing. */
  readonly drainDeadline: number;
  /** Schema set-up particular to this side (Debezium: the outbox rows' delete), after the migrations. */
  readonly prepareSchema?: (db: Client, schema: string) => Promise<void>;
  /** Called once per phase; a later call resumes the earlier relayer's position. */
  readonly startRelayer: (schema: string, topics: TestTopics) => Promise<Relayer>;
  /** Undone by the bench in reverse order, whatever happens. */
  readonly cleanups: Array<() => Promise<unknown>>;
  readonly log: (line: string) => void;
}

const TOPIC = 'rgs.rounds.v1';

export interface SideRun {
  readonly live: SideFigures;
  readonly backlog: SideFigures | undefined;
  readonly output: readonly string[];
  readonly note: string | undefined;
}

/** What both phases of a side share: its database, topics, consumer and what the consumer received. */
interface SideContext {
  readonly options: SideOptions;
  readonly schema: string;
  readonly db: Client;
  readonly postmasterPid: number;
  readonly deliveries: Delivery[];
  readonly seen: Set<string>;
}

/**
 * One side of the comparison: a fresh schema on the bench Postgres, fresh topics, one consumer decoding through
 * the registry. Live: the relayer running while the writers append (cost window: first append → last event
 * received). Backlog: the relayer stopped, the writers append, then a fresh start of it drains what waits (cost
 * window: relayer ready → last event received; throughput: first → last event received).
 */
export async function runSide(options: SideOptions): Promise<SideRun> {
  const { pg, log } = options;
  const schema = `bench_${options.label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  await runMigrations({ databaseUrl: pg.databaseUrl, schema, migrations: eventStoreMigrations });
  const db = new Client({ connectionString: pg.databaseUrl, application_name: 'bench:relay' });
  // The bench Postgres stops under it on an abort: its next query fails, the process must not crash on the event.
  db.on('error', () => undefined);
  await db.connect();
  options.cleanups.push(() => db.end());
  await options.prepareSchema?.(db, schema);
  const topics = await provisionTestTopics(`bench-${options.label}`, options.partitions);
  options.cleanups.push(() => topics.cleanup());
  const postmaster = findPostmaster(pg.databaseUrl);
  if ('why' in postmaster) throw new Error(`bench Postgres: ${postmaster.why}`);

  const context: SideContext = {
    options,
    schema,
    db,
    postmasterPid: postmaster.pid,
    deliveries: [],
    seen: new Set(),
  };
  const collector = await collectEvents(topics, [TOPIC], async (envelope) => {
    context.deliveries.push({
      eventId: envelope.event_id,
      eventType: envelope.event_type,
      occurredAt: envelope.occurred_at,
      receivedAt: Date.now(),
    });
    context.seen.add(envelope.event_id);
  });
  options.cleanups.push(() => collector.stop());

  const relayer = await options.startRelayer(schema, topics);
  options.cleanups.push(() => relayer.stop());
  log(
    `${options.label}: schema ${schema}, topics ${topics.prefix}*, relayer pid ${relayer.pid} (${relayer.startMs} ms)`,
  );
  const live = await livePhase(context, relayer);
  const note = await relayer.note?.().catch((error: unknown) => `n/a (${String(error)})`);
  let backlog: SideFigures | undefined;
  let output = relayer.output;
  if (options.backlog > 0) {
    await relayer.pause();
    const appended = await append(context, options.backlog);
    const resumed = await options.startRelayer(schema, topics);
    options.cleanups.push(() => resumed.stop());
    log(
      `${options.label}: ${appended.events.length} events waiting; relayer restarted, pid ${resumed.pid} (${resumed.startMs} ms)`,
    );
    backlog = await drainPhase(context, resumed, appended);
    output = resumed.output;
  }
  // This side's relayer and consumer stop now, so the next side runs on a quiet database and broker.
  for (const undo of options.cleanups.splice(0).reverse()) await undo().catch(() => undefined);
  return { live: { ...live, label: options.label }, backlog, output, note };
}

async function livePhase(context: SideContext, relayer: Relayer): Promise<SideFigures> {
  return measuredPhase(context, relayer, 'live', () => append(context, context.options.events));
}

async function drainPhase(
  context: SideContext,
  relayer: Relayer,
  appended: { events: AppendedEvent[]; ms: number },
): Promise<SideFigures> {
  return measuredPhase(context, relayer, 'backlog', async () => appended);
}

/**
 * The figures of one phase, from now until every appended event arrived. Live, the appends run inside the window
 * and the drain counts from the first append, with latencies; on a backlog the events already wait, so the drain
 * is first → last received (the capacity) and latencies would only measure the wait.
 */
async function measuredPhase(
  context: SideContext,
  relayer: Relayer,
  phase: 'live' | 'backlog',
  appendedInWindow: () => Promise<{ events: AppendedEvent[]; ms: number }>,
): Promise<SideFigures> {
  const target = costTarget(context, relayer);
  const transactionsBefore = await readTransactions(context.db);
  const before = await readCost(target);
  const appended = await appendedInWindow();
  const after = await drained(context, appended.events, target);
  const transactionsAfter = await settledTransactions(context.db);
  const expected = new Set(appended.events.map((event) => event.eventId));
  const tally = tallyDeliveries(expected, context.deliveries);
  const live = phase === 'live';
  return {
    label: context.options.label,
    appended: appended.events.length,
    unique: tally.unique,
    duplicates: tally.duplicates,
    missing: tally.missing,
    appendMs: appended.ms,
    drainMs: live
      ? (tally.lastReceivedAt ?? Date.now()) - before.at
      : (tally.lastReceivedAt ?? 0) - (tally.firstReceivedAt ?? 0),
    latenciesMs: live ? tally.latenciesMs : [],
    laterLatenciesMs: live ? latenciesSince(expected, context.deliveries, before.at + appended.ms / 2) : [],
    startMs: relayer.startMs,
    transactions: difference(transactionsBefore, transactionsAfter),
    windowMs: after.at - before.at,
    ticksPerSecond: clockTicksPerSecond(),
    cpu: costDeltas(before, after),
  };
}

/** The round workload from the writers, each on its own connection; the pool closes after (its counts reported). */
async function append(
  context: SideContext,
  events: number,
): Promise<{ events: AppendedEvent[]; ms: number }> {
  const { options, schema } = context;
  const pool = createPool({ databaseUrl: options.pg.databaseUrl, schema, maxConnections: options.writers });
  pool.on('error', () => undefined); // an idle writer's connection cut by an abort's server stop
  options.cleanups.push(() => (pool.ended ? Promise.resolve() : pool.end()));
  const startedAt = Date.now();
  try {
    const appended = await playRounds({
      pool,
      store: new PostgresEventStore({ region: 'bench' }),
      tenants: options.tenants,
      players: options.writers * 25,
      writers: options.writers,
      events,
    });
    return { events: appended, ms: Date.now() - startedAt };
  } finally {
    await pool.end();
  }
}

/** Waits until every event arrived (or the deadline passed: reported as missing), then reads the cost. */
async function drained(context: SideContext, events: readonly AppendedEvent[], target: CostTarget) {
  await expectEventually(
    () => {
      if (events.some((event) => !context.seen.has(event.eventId))) throw new Error('still waiting');
    },
    { timeoutMs: Math.max(0, context.options.drainDeadline - Date.now()), intervalMs: 50 },
  ).catch(() => undefined);
  return readCost(target);
}

/**
 * After a further 1.1 s: a redelivery would come right behind the original (the duplicate count stays honest),
 * and every backend has reported its transactions by then (the writers' when their pool closed).
 */
async function settledTransactions(db: Client): Promise<TransactionCount | undefined> {
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  return readTransactions(db);
}

function costTarget(context: SideContext, relayer: Relayer): CostTarget {
  return {
    relayerPid: relayer.pid,
    postmasterPid: context.postmasterPid,
    port: context.options.pg.port,
    db: context.db,
  };
}

function difference(
  before: TransactionCount | undefined,
  after: TransactionCount | undefined,
): TransactionCount | undefined {
  if (before === undefined || after === undefined) return undefined;
  return { commits: after.commits - before.commits, rollbacks: after.rollbacks - before.rollbacks };
}
