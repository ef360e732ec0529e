import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { Client } from 'pg';

import { envInt, envString, infrastructureConfig } from '@pitboss/platform-config';
import { startRelayProcess, type TestTopics } from '@pitboss/testing';

import { startBenchPostgres, type BenchPostgres } from './bench-postgres';
import { buildRelay, machineLine, relayPublishMeanMs } from './bench-support';
import { debeziumClasspath, startDebezium } from './debezium-process';
import { reportCeiling } from './pgbench-ceiling';
import { formatSideBySide, unavailableRows } from './relay-comparison';
import { runSide, type Relayer, type SideRun } from './relay-side';

const EVENTS = envInt('BENCH_EVENTS', 50_000);
const BACKLOG = envInt('BENCH_BACKLOG_EVENTS', 20_000);
const WRITERS = envInt('BENCH_WRITERS', 8);
const PARTITIONS = envInt('BENCH_PARTITIONS', 6);
const TIMEOUT_MS = envInt('BENCH_TIMEOUT_S', 900) * 1_000;
/** When the watchdog below ends the run; each drain wait stops short of it to leave time for the report. */
const DEADLINE = Date.now() + TIMEOUT_MS;
const POLL_MS = process.env['BENCH_RELAY_POLL_MS'];
/** Node flags for the relay process, space-separated: `--cpu-prof --cpu-prof-dir=/tmp/prof` profiles it. */
const RELAY_NODE_ARGS = envString('BENCH_RELAY_NODE_ARGS', '').split(' ').filter(Boolean);
const DEBEZIUM_POLL_MS = envInt('BENCH_DEBEZIUM_POLL_MS', 10);
const DEBEZIUM_MAX_BATCH = envInt('BENCH_DEBEZIUM_MAX_BATCH', 2_048);
/** `in-transaction`: an AFTER INSERT trigger deletes each outbox row in its writer's transaction; `keep`: rows stay. */
const DEBEZIUM_DELETE = envString('BENCH_DEBEZIUM_OUTBOX_DELETE', 'in-transaction');
const SIDES = envString('BENCH_RELAY_SIDES', 'outbox-relay,debezium').split(',');
const STACK_DIR = process.env['STACK_DIR'] ?? join(__dirname, '..', '..', '.stack');
const TENANTS = [
  { id: 'bench-alpha', currency: 'EUR' },
  { id: 'bench-beta', currency: 'SEK' },
];

/**
 * Undone in reverse order, once, whether the run finishes, fails or is aborted by the watchdog. Every caller
 * awaits the same promise, so no path exits while another is still stopping a relayer or the bench Postgres.
 */
const cleanups: Array<() => Promise<unknown>> = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const undo of cleanups.splice(0).reverse()) await undo().catch(() => undefined);
  })();
  return cleaning;
}

/**
 * `npm run bench:relay`: the same round workload through our outbox-relay and through Debezium's Postgres
 * connector (embedded engine, outbox event router), one after the other, both on a Postgres the bench starts
 * for itself with `wal_level=logical`; prints both sides in columns. Asserts nothing about speed; exits 1 only
 * when events are missing.
 */
async function main(): Promise<number> {
  log(`machine: ${machineLine()}`);
  const pg = await startBenchPostgres(STACK_DIR, log);
  cleanups.push(() => pg.stop());
  await measureCeilingFirst(pg);
  if (SIDES.includes('outbox-relay')) {
    log('building outbox-relay (npx nx build outbox-relay)');
    buildRelay();
  }
  const classpath = SIDES.includes('debezium') ? await debeziumClasspath(STACK_DIR, log) : '';
  log(
    `workload: ${EVENTS} events from ${WRITERS} writers, ${PARTITIONS} partitions; relay poll ` +
      `${POLL_MS ?? 'relay default'} ms; Debezium poll.interval.ms ${DEBEZIUM_POLL_MS}, max.batch.size ` +
      `${DEBEZIUM_MAX_BATCH}, outbox rows ${DEBEZIUM_DELETE === 'keep' ? 'kept' : 'deleted in the writer’s transaction'}`,
  );

  const sides: SideRun[] = [];
  const debeziumRelayer = debeziumRelayers(pg, classpath);
  for (const side of SIDES) {
    const sideCleanups: Array<() => Promise<unknown>> = [];
    cleanups.push(async () => {
      for (const undo of sideCleanups.splice(0).reverse()) await undo().catch(() => undefined);
    });
    const figures = await runSide({
      label: side,
      pg,
      events: EVENTS,
      backlog: BACKLOG,
      writers: WRITERS,
      partitions: PARTITIONS,
      tenants: TENANTS,
      // Each side may use its share of what is left, and the report needs the last 30 s.
      drainDeadline: Date.now() + (DEADLINE - Date.now() - 30_000) / (SIDES.length - sides.length),
      cleanups: sideCleanups,
      log,
      ...(side === 'debezium'
        ? { startRelayer: debeziumRelayer, prepareSchema }
        : { startRelayer: (schema, topics) => relayRelayer(pg, schema, topics) }),
    });
    const missing = figures.live.missing + (figures.backlog?.missing ?? 0);
    if (missing > 0)
      log(`${side}: ${missing} events never arrived; its log:\n${figures.output.slice(-30).join('\n')}`);
    sides.push(figures);
  }
  const live = sides.map((side) => side.live);
  const backlogs = sides.flatMap((side) => (side.backlog ? [side.backlog] : []));
  console.log(`live: ${EVENTS} events appended while the relayer runs`);
  for (const line of formatSideBySide(live)) console.log(line);
  if (backlogs.length > 0) {
    console.log(
      `backlog: ${BACKLOG} events appended while the relayer is stopped, then drained by a restart`,
    );
    for (const line of formatSideBySide(backlogs, 'backlog')) console.log(line);
  }
  for (const line of [...unavailableRows(live), ...unavailableRows(backlogs, 'backlog')]) log(line);
  for (const [index, side] of sides.entries()) if (side.note) log(`${SIDES[index]}: ${side.note}`);
  // The Debezium program's own count, printed as it stopped: records published and the batches they came in.
  for (const side of sides)
    for (const line of side.output.filter((l) => l.startsWith('debezium: published'))) log(line);
  return [...live, ...backlogs].every((figures) => figures.missing === 0) ? 0 : 1;
}

async function relayRelayer(pg: BenchPostgres, schema: string, topics: TestTopics): Promise<Relayer> {
  const startedAt = Date.now();
  const relay = startRelayProcess([schema], {
    ...topics.env,
    DATABASE_URL: pg.databaseUrl,
    RELAY_DATABASE_URL: pg.databaseUrl,
    ...(POLL_MS ? { RELAY_POLL_INTERVAL_MS: POLL_MS } : {}),
  }, RELAY_NODE_ARGS);
  try {
    await relay.waitForRole(schema, 'active', 60_000);
  } catch (error) {
    await relay.kill('SIGTERM');
    throw error;
  }
  if (relay.child.pid === undefined) throw new Error('the relay has no pid');
  return {
    pid: relay.child.pid,
    startMs: Date.now() - startedAt,
    output: relay.output,
    note: async () => `relay insert→Kafka ack ${await relayPublishMeanMs(relay)}`,
    // The relay keeps nothing but the outbox rows: a new process carries on from them.
    pause: () => relay.kill('SIGTERM'),
    stop: () => relay.kill('SIGTERM'),
  };
}

/** Starts Debezium for a schema; the side's second start uses the first one's slot and offsets (a resume). */
function debeziumRelayers(
  pg: BenchPostgres,
  classpath: string,
): (schema: string, topics: TestTopics) => Promise<Relayer> {
  const { kafkaBrokers, schemaRegistryUrl } = infrastructureConfig();
  const slots = new Map<string, string>();
  return async (schema, topics) => {
    const slot = slots.get(schema) ?? `bench_${randomBytes(4).toString('hex')}`;
    slots.set(schema, slot);
    const debezium = await startDebezium(
      {
        databaseUrl: pg.databaseUrl,
        schema,
        slot,
        kafkaBrokers,
        registryUrl: schemaRegistryUrl,
        topicPrefix: topics.prefix,
        stateDir: join(STACK_DIR, 'bench-relay', `debezium-${slot}`),
        pollMs: DEBEZIUM_POLL_MS,
        maxBatch: DEBEZIUM_MAX_BATCH,
      },
      classpath,
      180_000,
    );
    if (debezium.child.pid === undefined) throw new Error('the Debezium JVM has no pid');
    return {
      pid: debezium.child.pid,
      startMs: debezium.startMs,
      output: debezium.output,
      pause: () => debezium.pause(),
      stop: () => debezium.stop(),
    };
  };
}

/**
 * Debezium's own pattern keeps the outbox empty: the writer inserts and deletes the row in one transaction, and
 * the connector reads the insert from the WAL (the router ignores the delete). A trigger does the delete here,
 * so the writers' code is the same as on the relay's side.
 */
async function prepareSchema(db: Client, schema: string): Promise<void> {
  if (DEBEZIUM_DELETE === 'keep') return;
  await db.query(`
    CREATE FUNCTION ${schema}.outbox_delete_in_transaction() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN DELETE FROM ${schema}.outbox WHERE position = NEW.position; RETURN NULL; END $$;
    CREATE TRIGGER outbox_delete_in_transaction AFTER INSERT ON ${schema}.outbox
      FOR EACH ROW EXECUTE FUNCTION ${schema}.outbox_delete_in_transaction();`);
}

/** The box's commit ceiling on the bench's own Postgres, before any relayer or writer loads it. */
async function measureCeilingFirst(pg: BenchPostgres): Promise<void> {
  const db = new Client({ connectionString: pg.databaseUrl });
  await db.connect();
  try {
    await reportCeiling(db, pg.databaseUrl, log);
  } finally {
    await db.end();
  }
}

function log(message: string): void {
  console.log(`bench: ${message}`);
}

let aborted = false;
function abort(reason: string): void {
  if (aborted) return;
  aborted = true;
  log(`aborted: ${reason}; cleaning up`);
  void cleanUp().finally(() => process.exit(2));
}
// Bounded in time: a stuck broker or relayer ends the run with a message instead of hanging a terminal or CI.
const watchdog = setTimeout(
  () => abort(`not finished within ${TIMEOUT_MS / 1_000} s (BENCH_TIMEOUT_S)`),
  TIMEOUT_MS,
);
// Ctrl-C too stops the relayers and the bench Postgres and removes the topics instead of leaving them behind.
process.once('SIGINT', () => abort('interrupted'));
process.once('SIGTERM', () => abort('terminated'));

main()
  .catch((error: unknown) => {
    // After an abort the run fails because its resources were pulled away: that error is noise.
    if (!aborted) log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  })
  .then(async (code) => {
    clearTimeout(watchdog);
    await cleanUp();
    process.exit(aborted ? 2 : code);
  });
