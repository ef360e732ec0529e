import { createPool, PostgresEventStore } from '@pitboss/event-store';
import { createKafka, createSchemaRegistry, EventCodec, TopicNaming } from '@pitboss/messaging';
import { envInt, infrastructureConfig, serviceSchema } from '@pitboss/platform-config';
import { expectEventually } from '@pitboss/testing';

import { formatLatencies, tallyDeliveries, type DeliveryTally } from './deliveries';
import { readinessLines, relayMetricLines } from './fleet';
import { playRounds } from './rounds';
import { watchTopic } from './topic-watch';

const TOPIC = 'rgs.rounds.v1';
const TENANTS = [
  { id: 'tenant-alpha', currency: 'EUR' },
  { id: 'tenant-beta', currency: 'SEK' },
];
const ROUNDS = envInt('DEMO_ROUNDS', 200);
const PLAYERS = envInt('DEMO_PLAYERS', 20);
const DELIVERY_TIMEOUT_MS = envInt('DEMO_DELIVERY_TIMEOUT_S', 30) * 1_000;

/**
 * The demo's proof that events flow through the running fleet: rounds are appended to bet-gateway's own
 * event store (its schema, its outbox), the running outbox-relay publishes them, and a consumer decodes them
 * from Kafka through the registry. Exits 1 when any appended event did not arrive.
 */
async function main(): Promise<number> {
  const config = infrastructureConfig();
  const naming = new TopicNaming(config.topicPrefix);
  const kafka = createKafka(config, '-demo');
  const codec = new EventCodec(createSchemaRegistry(config.schemaRegistryUrl), naming);
  const schema = serviceSchema('bet-gateway');
  // Subscribed before the first append, so everything appended below must arrive.
  const watch = await watchTopic(kafka, codec, naming, TOPIC);
  const pool = createPool({
    databaseUrl: config.databaseUrl,
    schema,
    maxConnections: PLAYERS,
    applicationName: 'demo',
  });
  try {
    const startedAt = Date.now();
    const appended = await playRounds({
      pool,
      store: new PostgresEventStore({ region: config.region }),
      tenants: TENANTS,
      players: PLAYERS,
      writers: PLAYERS,
      events: ROUNDS * 2,
    });
    const appendMs = Date.now() - startedAt;
    const expected = new Set(appended.map((event) => event.eventId));
    const tally = () => tallyDeliveries(expected, watch.deliveries);
    await expectEventually(
      () => {
        if (tally().missing > 0) throw new Error('still waiting');
      },
      { timeoutMs: DELIVERY_TIMEOUT_MS, intervalMs: 50 },
    ).catch(() => undefined); // reported as missing below
    // A redelivery would come right behind the original: a short look keeps the duplicate count honest.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const result = tally();
    console.log(
      `demo: appended ${appended.length} events (${ROUNDS} rounds, ${PLAYERS} players, ${TENANTS.length} tenants) ` +
        `to ${schema} in ${appendMs} ms`,
    );
    printDeliveries(result);
    console.log('demo: outbox-relay metrics');
    for (const line of await relayMetricLines().catch((error: unknown) => [`unavailable: ${String(error)}`]))
      console.log(`  ${line}`);
    console.log('demo: readiness (/health/ready)');
    for (const line of await readinessLines()) console.log(`  ${line}`);
    console.log(
      result.missing === 0
        ? 'demo: OK, every appended event reached Kafka'
        : `demo: FAILED, ${result.missing} events missing`,
    );
    return result.missing === 0 ? 0 : 1;
  } finally {
    await pool.end();
    await watch.stop();
  }
}

function printDeliveries(result: DeliveryTally): void {
  const types = [...result.byType].map(([type, count]) => `${type} ${count}`).join(', ');
  console.log(
    `demo: received on ${TOPIC}: ${result.unique}/${result.expected} (${types || 'none'}), ` +
      `duplicates ${result.duplicates}, missing ${result.missing}` +
      (result.foreign > 0 ? `, ${result.foreign} other events on the topic (not the demo's)` : ''),
  );
  console.log(
    `demo: commit→Kafka latency (consumer receive − occurred_at): ${formatLatencies(result.latenciesMs)}`,
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
