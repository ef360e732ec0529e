import { randomUUID } from 'node:crypto';

import { messageKeyOf, type EventEnvelope } from '@pitboss/contracts';
import { provisionTestTopics, uniqueTestPrefix, type TestTopics } from '@pitboss/testing';

import { ConsumerEngine } from './consumer/consumer-engine';
import { type DeliveryPace } from './consumer/delivery-pace';
import { EventPublisher } from './event-publisher';

const SETTLEMENTS = 'rgs.settlements.v1';
const MESSAGES = 12;
const SPACING_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function betSettled(index: number): EventEnvelope {
  return {
    event_id: randomUUID(),
    event_type: 'bet.settled',
    event_version: 1,
    occurred_at: Date.now(),
    tenant_id: 'tenant-pace',
    region: 'test',
    // One player: every message on one partition, so the batch count is not the partition count.
    player_id: 'player-1',
    session_id: null,
    round_id: `round-${index}`,
    trace_id: null,
    causation_id: null,
    idempotency_key: null,
    payload: {
      bet_id: `bet-${index}`,
      win: { minor_units: 100, currency: 'EUR' },
      wallet_transaction_id: null,
    },
  };
}

describe('consumer delivery pace (real Kafka)', () => {
  let topics: TestTopics;
  let publisher: EventPublisher;
  const engines: ConsumerEngine[] = [];

  beforeEach(async () => {
    topics = await provisionTestTopics('pace');
    publisher = new EventPublisher(topics.kafka, topics.codec, topics.naming);
    await publisher.connect();
  });
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((engine) => engine.stop()));
    await publisher.disconnect();
    await topics.cleanup();
  });

  /** A joined consumer of the pace that counts the batches it is handed and the messages in them. */
  async function joinedConsumer(delivery: DeliveryPace) {
    const batches: number[] = [];
    const engine = new ConsumerEngine(
      topics.kafka,
      topics.codec,
      topics.naming,
      {
        groupId: uniqueTestPrefix(delivery),
        topics: [SETTLEMENTS],
        // The topic is new: from the beginning is everything published after the join.
        fromBeginning: true,
        maxBatchSize: 200,
        delivery,
      },
      {
        // The engine hands a chunk of one message to applyOne, of two or more to applyAll.
        applyAll: async (messages) => void batches.push(messages.length),
        applyOne: async () => void batches.push(1),
      },
    );
    engines.push(engine);
    const joined = new Promise<void>((resolve) =>
      engine.consumer.on(engine.consumer.events.GROUP_JOIN, () => resolve()),
    );
    await engine.start();
    await joined;
    return batches;
  }

  it('a background consumer receives messages published 50 ms apart in a few batches, a prompt one nearly each alone', async () => {
    const [prompt, background] = await Promise.all([joinedConsumer('prompt'), joinedConsumer('background')]);
    // Both have their first fetch at the broker before anything is published.
    await sleep(300);

    const publishingStarted = Date.now();
    for (let index = 0; index < MESSAGES; index++) {
      const envelope = betSettled(index);
      await publisher.publish([
        {
          topic: SETTLEMENTS,
          key: messageKeyOf(envelope),
          envelope,
          headers: { event_id: envelope.event_id, event_type: envelope.event_type },
        },
      ]);
      await sleep(SPACING_MS);
    }
    const publishingMs = Date.now() - publishingStarted;
    const sum = (batches: number[]) => batches.reduce((total, size) => total + size, 0);
    const deadline = Date.now() + 20_000;
    while ((sum(prompt) < MESSAGES || sum(background) < MESSAGES) && Date.now() < deadline) await sleep(50);

    expect(sum(prompt)).toBe(MESSAGES);
    expect(sum(background)).toBe(MESSAGES);
    // Against a 500 ms fetch wait (KAFKA_BACKGROUND_FETCH_WAIT_MS's default), the ~600 ms of publishing (longer on a
    // busy machine) fill one fetch per wait, and a last one; the prompt consumer's fetches come back at once.
    const backgroundFetchesAtMost = Math.ceil(publishingMs / 500) + 1;
    expect(background.length).toBeLessThanOrEqual(backgroundFetchesAtMost);
    expect(prompt.length).toBeGreaterThan(backgroundFetchesAtMost);
  }, 60_000);
});
