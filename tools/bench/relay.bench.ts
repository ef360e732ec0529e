import { Client } from 'pg';

import { createPool, eventStoreMigrations, PostgresEventStore } from '@pitboss/event-store';
import { envInt, infrastructureConfig } from '@pitboss/platform-config';
import {
  collectEvents,
  createTestSchema,
  expectEventually,
  provisionTestTopics,
  startRelayProcess,
  type RelayProcess,
} from '@pitboss/testing';

import { formatLatencies } from '../demo/latency-stats';
import { buildRelay, machineLine, relayPublishMeanMs } from './bench-support';
import { reportCeiling } from './pgbench-ceiling';
import { tallyDeliveries, type Delivery, type DeliveryTally } from './relay-deliveries';
import { playRounds } from './relay-rounds';

const EVENTS = envInt('BENCH_EVENTS', 50_000);
const WRITERS = envInt('BENCH_WRITERS', 8);
const PARTITIONS = envInt('BENCH_PARTITIONS', 6);
const TIMEOUT_MS = envInt('BENCH_TIMEOUT_S', 600) * 1_000;
/** When the watchdog below ends the run; the drain wait stops short of it to leave time for the report. */
const DEADLINE = Date.now() + TIMEOUT_MS;
const POLL_MS = process.env['BENCH_RELAY_POLL_MS'];
const TOPIC = 'rgs.rounds.v1';
const TENANTS = [
  { id: 'bench-alpha', currency: 'EUR' },
  { id: 'bench-beta', currency: 'SEK' },
];

/**
 * Undone in reverse order, once, whether the run finishes, fails or is aborted by the watchdog. Every caller
 * awaits the same promise, so no path exits while another is still stopping the relay or dropping the schema.
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
 * `npm run bench:relay`: a fixed round workload from concurrent writers into a fresh event-store schema, ONE
 * relay as a real process publishing to fresh topics, one consumer decoding through the registry. Prints
 * figures and asserts nothing about speed; exits 1 only when events are missing.
 */
async function main(): Promise<number> {
  log(`machine: ${machineLine()}`);
  await measureCeilingFirst();
  log('building outbox-relay (npx nx build outbox-relay)');
  buildRelay();
  const db = await createTestSchema(eventStoreMigrations, 'bench');
  cleanups.push(() => db.drop());
  const topics = await provisionTestTopics('bench', PARTITIONS);
  cleanups.push(() => topics.cleanup());

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
  cleanups.push(() => collector.stop());
  const relay = startRelayProcess([db.schema], {
    ...topics.env,
    ...(POLL_MS ? { RELAY_POLL_INTERVAL_MS: POLL_MS } : {}),
  });
  cleanups.push(() => relay.kill('SIGTERM'));
  await relay.waitForRole(db.schema, 'active', 60_000);
  // One connection per writer: a writer never waits for a connection, so appends measure the database.
  const pool = createPool({ databaseUrl: db.databaseUrl, schema: db.schema, maxConnections: WRITERS });
  cleanups.push(() => pool.end());
  log(
    `schema ${db.schema}, topics ${topics.prefix}* (${PARTITIONS} partitions), relay pid ${relay.child.pid} ` +
      `(RELAY_POLL_INTERVAL_MS ${POLL_MS ?? 'relay default'}); appending ${EVENTS} events from ${WRITERS} writers`,
  );

  const startedAt = Date.now();
  const appended = await playRounds({
    pool,
    store: new PostgresEventStore({ region: 'bench' }),
    tenants: TENANTS,
    players: WRITERS * 25,
    writers: WRITERS,
    events: EVENTS,
  });
  const appendMs = Date.now() - startedAt;
  await expectEventually(
    () => {
      if (seen.size < appended.length) throw new Error('still waiting');
    },
    { timeoutMs: Math.max(0, DEADLINE - Date.now() - 30_000), intervalMs: 20 },
  ).catch(() => undefined); // reported as missing below
  // A redelivery would come right behind the original: a short look keeps the duplicate count honest.
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  const tally = tallyDeliveries(new Set(appended.map((event) => event.eventId)), deliveries);
  await printFigures(tally, { events: appended.length, startedAt, appendMs, relay });
  if (tally.missing > 0)
    console.error(
      `bench: ${tally.missing} events never arrived; relay log:\n${relay.output.slice(-30).join('\n')}`,
    );
  return tally.missing === 0 ? 0 : 1;
}

/** The box's commit ceiling in the same run, before the relay and the writers load the database. */
async function measureCeilingFirst(): Promise<void> {
  const { databaseUrl } = infrastructureConfig();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await reportCeiling(db, databaseUrl, log);
  } finally {
    await db.end();
  }
}

async function printFigures(
  tally: DeliveryTally,
  run: { events: number; startedAt: number; appendMs: number; relay: RelayProcess },
): Promise<void> {
  const endToEndMs = (tally.lastReceivedAt ?? Date.now()) - run.startedAt;
  const rate = (count: number, ms: number) =>
    `${Math.round((count / ms) * 1_000).toLocaleString('en-US')} events/s`;
  const rows: Array<[string, string]> = [
    ['events', `${run.events} (${[...tally.byType].map(([type, n]) => `${type} ${n}`).join(', ')})`],
    ['writers', String(WRITERS)],
    ['append throughput', `${rate(run.events, run.appendMs)} (${(run.appendMs / 1_000).toFixed(2)} s)`],
    [
      'end-to-end throughput',
      `${rate(tally.unique, endToEndMs)} (${(endToEndMs / 1_000).toFixed(2)} s, first append → last event received)`,
    ],
    [
      'commit→Kafka latency',
      `${formatLatencies(tally.latenciesMs, [50, 95, 99], true)} (consumer receive − occurred_at, set just before commit)`,
    ],
    [
      'relay insert→Kafka ack',
      await relayPublishMeanMs(run.relay).catch((error: unknown) => `n/a (${String(error)})`),
    ],
    ['duplicates', String(tally.duplicates)],
    ['missing', String(tally.missing)],
  ];
  for (const [label, value] of rows) console.log(`${label.padEnd(24)}${value}`);
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
// Bounded in time: a stuck broker or relay ends the run with a message instead of hanging a terminal or CI.
const watchdog = setTimeout(
  () => abort(`not finished within ${TIMEOUT_MS / 1_000} s (BENCH_TIMEOUT_S)`),
  TIMEOUT_MS,
);
// Ctrl-C too removes the schema, the topics and the relay instead of leaving them behind.
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
