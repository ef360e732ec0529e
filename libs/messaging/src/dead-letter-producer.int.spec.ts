import { randomUUID } from 'node:crypto';

import { Kafka, type KafkaMessage, type LogEntry } from 'kafkajs';

import { messageKeyOf, type EventEnvelope } from '@pitboss/contracts';
import { infrastructureConfig } from '@pitboss/platform-config';
import { expectEventually, provisionTestTopics, uniqueTestPrefix, type TestTopics } from '@pitboss/testing';

import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { createKafka } from './kafka-client';
import { NonRetryableError } from './non-retryable.error';

const SETTLEMENTS = 'rgs.settlements.v1';

function betSettled(betId: string): EventEnvelope {
  return {
    event_id: randomUUID(),
    event_type: 'bet.settled',
    event_version: 1,
    occurred_at: Date.now(),
    tenant_id: 'tenant-dlq',
    region: 'test',
    player_id: 'player-1',
    session_id: null,
    round_id: 'round-1',
    trace_id: null,
    causation_id: null,
    idempotency_key: null,
    payload: { bet_id: betId, win: { minor_units: 100, currency: 'EUR' }, wallet_transaction_id: null },
  };
}

/** The consumer's dead-letter producer: quiet when all is well, and a failed write still commits nothing. */
describe('EventConsumer dead-letter producer', () => {
  let topics: TestTopics;
  let sut: EventConsumer | undefined;

  beforeEach(async () => {
    topics = await provisionTestTopics('dlqproducer', 1);
  });
  afterEach(async () => {
    await sut?.stop();
    sut = undefined;
    await topics.cleanup();
  });

  async function publish(kafka: Kafka, envelope: EventEnvelope): Promise<void> {
    const publisher = new EventPublisher(kafka, topics.codec, topics.naming);
    await publisher.connect();
    try {
      await publisher.publish([{ topic: SETTLEMENTS, key: messageKeyOf(envelope), envelope, headers: {} }]);
    } finally {
      await publisher.disconnect();
    }
  }

  it('logs nothing when a consumer with its DLQ starts and parks a message', async () => {
    const logged: LogEntry[] = [];
    const kafka = createKafka(infrastructureConfig(), '-test-dlq-quiet', (entry) => logged.push(entry));
    sut = new EventConsumer(kafka, topics.codec, topics.naming, {
      groupId: uniqueTestPrefix('quiet'),
      topics: [SETTLEMENTS],
      fromBeginning: true,
      handler: async () => {
        throw new NonRetryableError('refused');
      },
    });
    await sut.start();
    await publish(topics.kafka, betSettled('parked'));
    const dlq = await readDeadLetters();
    try {
      await expectEventually(() => expect(dlq.messages).toHaveLength(1), { timeoutMs: 30_000 });
    } finally {
      await dlq.stop();
    }

    expect(logged.map((entry) => `${entry.namespace}: ${entry.log.message}`)).toEqual([]);
  });

  it('does not commit a message whose DLQ write failed: it comes again and is parked once the DLQ exists', async () => {
    const deadLetter = topics.naming.deadLetter(SETTLEMENTS);
    await topics.admin.deleteTopics({ topics: [deadLetter] });
    await expectEventually(async () => expect(await topics.admin.listTopics()).not.toContain(deadLetter));
    // Few, short retries: the write must fail within the test, not after the production client's ~50 s.
    const kafka = new Kafka({
      clientId: 'test-dlq-missing',
      brokers: infrastructureConfig().kafkaBrokers,
      retry: { initialRetryTime: 50, retries: 2 },
      logCreator: () => () => undefined,
    });
    let deliveries = 0;
    sut = new EventConsumer(kafka, topics.codec, topics.naming, {
      groupId: uniqueTestPrefix('missing-dlq'),
      topics: [SETTLEMENTS],
      fromBeginning: true,
      handler: async () => {
        deliveries += 1;
        throw new NonRetryableError('refused');
      },
    });
    await sut.start();
    await publish(topics.kafka, betSettled('parked-late'));

    await expectEventually(() => expect(deliveries).toBeGreaterThanOrEqual(2), { timeoutMs: 60_000 });
    await topics.admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: deadLetter, numPartitions: 1 }],
    });
    const dlq = await readDeadLetters();
    try {
      await expectEventually(() => expect(dlq.messages.length).toBeGreaterThanOrEqual(1), {
        timeoutMs: 60_000,
      });
    } finally {
      await dlq.stop();
    }
  });

  async function readDeadLetters(): Promise<{ messages: KafkaMessage[]; stop: () => Promise<void> }> {
    const messages: KafkaMessage[] = [];
    const consumer = topics.kafka.consumer({ groupId: uniqueTestPrefix('dlq-reader') });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.naming.deadLetter(SETTLEMENTS), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
    return { messages, stop: () => consumer.disconnect() };
  }
});
