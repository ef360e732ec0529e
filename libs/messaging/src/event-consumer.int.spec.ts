import { randomUUID } from 'node:crypto';

import { type KafkaMessage, Partitioners } from 'kafkajs';

import { messageKeyOf, type EventEnvelope } from '@pitboss/contracts';
import {
  collectEvents,
  expectEventually,
  provisionTestTopics,
  uniqueTestPrefix,
  type TestTopics,
} from '@pitboss/testing';

import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';

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

describe(EventConsumer.name, () => {
  let topics: TestTopics;
  let publisher: EventPublisher;
  let sut: EventConsumer | undefined;

  beforeEach(async () => {
    topics = await provisionTestTopics('consumer');
    publisher = new EventPublisher(topics.kafka, topics.codec, topics.naming);
    await publisher.connect();
  });
  afterEach(async () => {
    await sut?.stop();
    await publisher.disconnect();
    await topics.cleanup();
  });

  const publish = (envelope: EventEnvelope) =>
    publisher.publish([
      {
        topic: SETTLEMENTS,
        key: messageKeyOf(envelope),
        envelope,
        headers: { event_id: envelope.event_id, event_type: envelope.event_type },
      },
    ]);

  /** Raw messages of the settlements DLQ as they arrive (they are not decoded: some are not Avro at all). */
  async function readDeadLetters(): Promise<{ messages: KafkaMessage[]; stop: () => Promise<void> }> {
    const messages: KafkaMessage[] = [];
    const consumer = topics.kafka.consumer({ groupId: uniqueTestPrefix('dlq-reader') });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.naming.deadLetter(SETTLEMENTS), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
    return { messages, stop: () => consumer.disconnect() };
  }

  it('parks an undecodable message and a message that keeps failing on the .dlq topic, then moves on', async () => {
    const handled: string[] = [];
    sut = new EventConsumer(topics.kafka, topics.codec, topics.naming, {
      groupId: uniqueTestPrefix('settle'),
      topics: [SETTLEMENTS],
      fromBeginning: true,
      maxAttempts: 3,
      backoff: { initialMs: 10, maxMs: 50 },
      handler: async (envelope) => {
        const betId = (envelope.payload as { bet_id: string }).bet_id;
        if (betId === 'always-fails') throw new Error('wallet refused the credit');
        handled.push(betId);
      },
    });
    await sut.start();
    const producer = topics.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: topics.naming.physical(SETTLEMENTS),
      messages: [{ key: 'tenant-dlq:player-1', value: Buffer.from('not avro at all') }],
    });
    await producer.disconnect();
    await publish(betSettled('always-fails'));
    await publish(betSettled('fine'));

    const { messages: dlq, stop } = await readDeadLetters();
    try {
      await expectEventually(() => expect(dlq).toHaveLength(2), { timeoutMs: 30_000 });
      await expectEventually(() => expect(handled).toEqual(['fine']));
      const headers = dlq.map((message) =>
        Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, value?.toString()]),
        ),
      );
      expect(headers[0]).toMatchObject({
        'dlq-error-type': 'NonRetryableError',
        'dlq-attempts': '1',
        'dlq-original-topic': topics.naming.physical(SETTLEMENTS),
      });
      expect(headers[0]?.['dlq-error']).toContain('undecodable');
      expect(headers[1]).toMatchObject({
        'dlq-error': 'wallet refused the credit',
        'dlq-attempts': '3',
        event_type: 'bet.settled',
      });
    } finally {
      await stop();
    }
  });

  it('commits offsets at most once per interval, and all it applied when it stops: a restart redelivers nothing', async () => {
    const groupId = uniqueTestPrefix('paced');
    const consumerOf = (handled: string[]) =>
      new EventConsumer(topics.kafka, topics.codec, topics.naming, {
        groupId,
        topics: [SETTLEMENTS],
        fromBeginning: true,
        commitIntervalMs: 600_000,
        handler: async (envelope) => void handled.push((envelope.payload as { bet_id: string }).bet_id),
      });
    const committed = async () => {
      const [topic] = await topics.admin.fetchOffsets({
        groupId: topics.naming.physical(groupId),
        topics: [topics.naming.physical(SETTLEMENTS)],
      });
      return (topic?.partitions ?? []).reduce((sum, { offset }) => sum + Math.max(0, Number(offset)), 0);
    };
    const first: string[] = [];
    sut = consumerOf(first);
    await sut.start();
    // One at a time, so that each is a batch of its own: kafkajs's auto-commit would commit after each.
    for (const betId of ['b-1', 'b-2', 'b-3', 'b-4', 'b-5']) {
      await publish(betSettled(betId));
      await expectEventually(() => expect(first).toContain(betId));
    }
    expect(await committed()).toBe(0);

    await sut.stop();
    expect(await committed()).toBe(5);

    const second: string[] = [];
    sut = consumerOf(second);
    await sut.start();
    await publish(betSettled('after-restart'));
    await expectEventually(() => expect(second).toEqual(['after-restart']), { timeoutMs: 30_000 });
    expect(first).toEqual(['b-1', 'b-2', 'b-3', 'b-4', 'b-5']);
  });

  it('retries a transient failure within its budget and processes the message once it succeeds', async () => {
    let failuresLeft = 2;
    const collector = await collectEvents(topics, [SETTLEMENTS], async () => {
      if (failuresLeft-- > 0) throw new Error('database briefly unavailable');
    });
    try {
      await publish(betSettled('flaky'));

      await expectEventually(() =>
        expect(
          collector.received.map((event) => (event.envelope.payload as { bet_id: string }).bet_id),
        ).toEqual(['flaky']),
      );
    } finally {
      await collector.stop();
    }
  });
});
