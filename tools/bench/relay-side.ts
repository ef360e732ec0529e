import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { createPool, eventStoreMigrations, PostgresEventStore, runMigrations } from '@pitboss/event-store';
import { collectEvents, expectEventually, provisionTestTopics, type TestTopics } from '@pitboss/testing';

import { type BenchPostgres } from './bench-postgres';
import { clockTicksPerSecond } from './process-cpu';
import { type SideFigures } from './relay-comparison';
import { latenciesSince, tallyDeliveries, type Delivery } from './relay-deliveries';
import { costDeltas, readCost, readTransactions } from './relayer-cost';
import { playRounds, type Tenant } from './relay-rounds';
import { findPostmaster } from './watched-processes';

/** The process that moves one schema's outbox to Kafka: our relay or Debezium. */
export interface Relayer {
  readonly pid: number;
  readonly startMs: number;
  readonly output: readonly string[];
  /** A figure of the relayer's own, read before it stops (the relay's insert→ack mean from its /metrics). */
  readonly note?: () => Promise<string>;
  stop(): Promise<void>;
}

export interface SideOptions {
  readonly label: string;
  readonly pg: BenchPostgres;
  readonly events: number;
  readonly writers: number;
  readonly partitions: number;
  readonly tenants: readonly Tenant[];
  /** When the drain wait gives up (epoch ms): the rest is reported as missing. */
  readonly drainDeadline: number;
  /** Schema set-up particular to this side (Debezium: the outbox rows' delete), after the migrations. */
  readonly prepareSchema?: (db: Client, schema: string) => Promise<void>;
  readonly startRelayer: (schema: string, topics: TestTopics) => Promise<Relayer>;
  /** Undone by the bench in reverse order, whatever happens. */
  readonly cleanups: Array<() => Promise<unknown>>;
  readonly log: (line: string) => void;
}

const TOPIC = 'rgs.rounds.v1';

export interface SideRun extends SideFigures {
  readonly output: readonly string[];
  readonly note: string | undefined;
}

/**
 * One side of the comparison: a fresh schema on the bench Postgres, fresh topics, one consumer decoding through
 * the registry, the relayer, then the round workload from concurrent writers; the cost window runs from the first
 * append to the last expected event received.
 */
export async function runSide(options: SideOptions): Promise<SideRun> {
  const { pg, log } = options;
  const schema = `bench_${options.label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  await runMigrations({ databaseUrl: pg.databaseUrl, schema, migrations: eventStoreMigrations });
  const db = new Client({ connectionString: pg.databaseUrl, application_name: 'bench:relay' });
  await db.connect();
  options.cleanups.push(() => db.end());
  await options.prepareSchema?.(db, schema);
  const topics = await provisionTestTopics(`bench-${options.label}`, options.partitions);
  options.cleanups.push(() => topics.cleanup());

  const deliveries: Delivery[] = [];
  const seen = new Set<string>();
  const collector = await collectEvents(topics, [TOPIC], async (envelope) => {
    deliveries.push({
      eventId: envelope.event_id,
      eventType: envelope.event_type,
      occurredAt: envelope.occurred_at,
      receivedAt: Date.now(),
    });
    seen.add(envelope.event_id);
  });
  options.cleanups.push(() => collector.stop());
  const relayer = await options.startRelayer(schema, topics);
  options.cleanups.push(() => relayer.stop());
  const pool = createPool({ databaseUrl: pg.databaseUrl, schema, maxConnections: options.writers });
  options.cleanups.push(() => (pool.ended ? Promise.resolve() : pool.end()));
  const postmaster = findPostmaster(pg.databaseUrl);
  if ('why' in postmaster) throw new Error(`bench Postgres: ${postmaster.why}`);
  const target = { relayerPid: relayer.pid, postmasterPid: postmaster.pid, port: pg.port, db };
  log(
    `${options.label}: schema ${schema}, topics ${topics.prefix}*, relayer pid ${relayer.pid}, started in ${relayer.startMs} ms`,
  );

  const transactionsBefore = await readTransactions(db);
  const before = await readCost(target);
  const appended = await playRounds({
    pool,
    store: new PostgresEventStore({ region: 'bench' }),
    tenants: options.tenants,
    players: options.writers * 25,
    writers: options.writers,
    events: options.events,
  });
  const appendMs = Date.now() - before.at;
  await expectEventually(
    () => {
      if (seen.size < appended.length) throw new Error('still waiting');
    },
    { timeoutMs: Math.max(0, options.drainDeadline - Date.now()), intervalMs: 20 },
  ).catch(() => undefined); // reported as missing below
  const after = await readCost(target);
  // The writers' backends report their transaction counts when they exit; the relayer's within a second.
  await pool.end();
  // A redelivery would come right behind the original: a short look keeps the duplicate count honest.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const transactionsAfter = await readTransactions(db);

  const note = await relayer.note?.().catch((error: unknown) => `n/a (${String(error)})`);
  const expected = new Set(appended.map((event) => event.eventId));
  const tally = tallyDeliveries(expected, deliveries);
  const figures: SideRun = {
    label: options.label,
    appended: appended.length,
    unique: tally.unique,
    duplicates: tally.duplicates,
    missing: tally.missing,
    appendMs,
    drainMs: (tally.lastReceivedAt ?? Date.now()) - before.at,
    latenciesMs: tally.latenciesMs,
    laterLatenciesMs: latenciesSince(expected, deliveries, before.at + appendMs / 2),
    startMs: relayer.startMs,
    transactions:
      transactionsBefore === undefined || transactionsAfter === undefined
        ? undefined
        : transactionsAfter - transactionsBefore,
    windowMs: after.at - before.at,
    ticksPerSecond: clockTicksPerSecond(),
    cpu: costDeltas(before, after),
    output: relayer.output,
    note,
  };
  // This side's relayer and consumer stop now, so the next side runs on a quiet database and broker.
  for (const undo of options.cleanups.splice(0).reverse()) await undo().catch(() => undefined);
  return figures;
}
