import { type KafkaMessage } from 'kafkajs';

import { type EventEnvelope } from '@pitboss/contracts';
import {
  type ConsumedEvent,
  EventConsumer,
  KafkaEventTransport,
  type KafkaEventTransportOptions,
} from '@pitboss/messaging';
import {
  createTestSchema,
  expectEventually,
  provisionTestTopics,
  publishTestEvents,
  type TestSchema,
  type TestTopics,
  uniqueTestPrefix,
} from '@pitboss/testing';

import { type Transaction } from './database';
import { postgresInbox, processOnce } from './inbox';
import { eventStoreMigrations } from './migrations/event-store-migrations';

const RG = 'rg.v1';
const blocked = (reason: string) => ({
  topic: RG,
  eventType: 'player.blocked',
  tenantId: 't-batch',
  // One player: one key, one partition, the order kept.
  playerId: 'p-1',
  payload: { reason },
});
const reasons = (count: number) => Array.from({ length: count }, (_, index) => `r-${index + 1}`);

/** The transport on real Kafka, registry and Postgres: one transaction per batch, and every guarantee kept. */
describe('KafkaEventTransport with the Postgres inbox', () => {
  let topics: TestTopics;
  let db: TestSchema;
  const running: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    db = await createTestSchema(eventStoreMigrations, 'inboxbatch');
    await db.pool.query('CREATE TABLE effects (consumer text NOT NULL, event_id uuid NOT NULL, reason text)');
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    topics = await provisionTestTopics('inboxbatch', 1);
  });
  afterEach(async () => {
    for (const started of running.splice(0)) await started.close();
    await topics.cleanup();
  });

  type Handler = (envelope: EventEnvelope, event: ConsumedEvent<Transaction>) => Promise<void>;

  /** A transport whose `player.blocked` handler records an effect row (after `before`, which may throw or wait). */
  function startTransport(
    options: Partial<KafkaEventTransportOptions<Transaction>> & { readonly groupId: string },
    before: Handler = async () => undefined,
  ): KafkaEventTransport<Transaction> {
    const sut = new KafkaEventTransport<Transaction>(
      { kafka: topics.kafka, codec: topics.codec, naming: topics.naming },
      {
        topics: [RG],
        inbox: postgresInbox(db.pool),
        fromBeginning: true,
        maxAttempts: 2,
        backoff: { initialMs: 10, maxMs: 50 },
        ...options,
      },
    );
    const record: Handler = async (envelope, event) => {
      await before(envelope, event);
      await event.transaction.query('INSERT INTO effects (consumer, event_id, reason) VALUES ($1, $2, $3)', [
        options.inboxConsumer ?? options.groupId,
        envelope.event_id,
        (envelope.payload as { reason: string }).reason,
      ]);
    };
    sut.addHandler('player.blocked', record as never, true);
    sut.listen(() => undefined);
    running.push(sut);
    return sut;
  }

  const effectsOf = async (consumer: string) =>
    (
      await db.pool.query<{ reason: string }>(
        'SELECT reason FROM effects WHERE consumer = $1 ORDER BY reason',
        [consumer],
      )
    ).rows.map((row) => row.reason);
  /** Transactions that wrote the consumer's rows: the transaction id of each inbox and effect row. */
  const transactionsOf = async (consumer: string) =>
    Number(
      (
        await db.pool.query<{ count: string }>(
          `SELECT count(DISTINCT xid::text) AS count FROM (
             SELECT xmin AS xid FROM inbox WHERE consumer = $1
             UNION ALL SELECT xmin AS xid FROM effects WHERE consumer = $1) AS rows`,
          [consumer],
        )
      ).rows[0]!.count,
    );
  const committedOffset = async (groupId: string) => {
    const [topic] = await topics.admin.fetchOffsets({
      groupId: topics.naming.physical(groupId),
      topics: [topics.naming.physical(RG)],
    });
    return Number(topic?.partitions[0]?.offset ?? -1);
  };

  it('commits a whole batch, inbox rows and effects, in one transaction; per message it takes one each', async () => {
    await publishTestEvents(topics, reasons(20).map(blocked));
    const batched = uniqueTestPrefix('batched');
    startTransport({ groupId: batched });
    const perMessage = uniqueTestPrefix('per-message');
    const consumer = new EventConsumer(topics.kafka, topics.codec, topics.naming, {
      groupId: perMessage,
      topics: [RG],
      fromBeginning: true,
      handler: (envelope, context) =>
        processOnce(
          db.pool,
          {
            consumer: perMessage,
            eventId: envelope.event_id,
            eventType: envelope.event_type,
            sourceTopic: RG,
          },
          async (tx) => {
            await tx.query('INSERT INTO effects (consumer, event_id, reason) VALUES ($1, $2, $3)', [
              perMessage,
              envelope.event_id,
              (envelope.payload as { reason: string }).reason,
            ]);
            void context;
          },
        ).then(() => undefined),
    });
    await consumer.start();
    running.push({ close: () => consumer.stop() });

    await expectEventually(async () => expect(await effectsOf(batched)).toHaveLength(20), {
      timeoutMs: 60_000,
    });
    await expectEventually(async () => expect(await effectsOf(perMessage)).toHaveLength(20), {
      timeoutMs: 60_000,
    });
    const batchedCommits = await transactionsOf(batched);
    const perMessageCommits = await transactionsOf(perMessage);
    process.stdout.write(
      `commits per message: batched ${batchedCommits}/20, per message ${perMessageCommits}/20\n`,
    );
    expect(batchedCommits).toBe(1);
    expect(perMessageCommits).toBe(20);
    await expectEventually(async () => expect(await committedOffset(batched)).toBe(20));
  });

  it('changes nothing when a batch is delivered again', async () => {
    await publishTestEvents(topics, reasons(10).map(blocked));
    const consumer = uniqueTestPrefix('redelivered');
    startTransport({ groupId: uniqueTestPrefix('first'), inboxConsumer: consumer });
    await expectEventually(async () => expect(await effectsOf(consumer)).toHaveLength(10), {
      timeoutMs: 60_000,
    });

    // Another group of the same inbox consumer reads the whole partition again, as after a lost offset commit.
    const again = uniqueTestPrefix('again');
    let handled = 0;
    startTransport({ groupId: again, inboxConsumer: consumer }, async () => void (handled += 1));
    await expectEventually(async () => expect(await committedOffset(again)).toBe(10), { timeoutMs: 60_000 });

    expect(handled).toBe(0);
    expect(await effectsOf(consumer)).toEqual(reasons(10).sort());
  });

  it('dead-letters a poison message in the middle of a batch and applies the rest', async () => {
    const published = await publishTestEvents(topics, ['r-1', 'r-2', 'poison', 'r-4', 'r-5'].map(blocked));
    const dlq = await readDeadLetters();
    const consumer = uniqueTestPrefix('poison');
    startTransport({ groupId: consumer }, async (envelope) => {
      if ((envelope.payload as { reason: string }).reason === 'poison')
        throw new Error('cannot apply this one');
    });

    await expectEventually(() => expect(dlq.messages).toHaveLength(1), { timeoutMs: 60_000 });
    await expectEventually(async () => expect(await committedOffset(consumer)).toBe(5), {
      timeoutMs: 60_000,
    });
    await dlq.stop();
    expect(await effectsOf(consumer)).toEqual(['r-1', 'r-2', 'r-4', 'r-5']);
    const envelope = await topics.codec.decode(dlq.messages[0]!.value!);
    expect(envelope.event_id).toBe(published[2]!.event_id);
    expect(headersOf(dlq.messages[0]!)).toMatchObject({
      'dlq-error': 'cannot apply this one',
      'dlq-attempts': '2',
      'dlq-consumer-group': topics.naming.physical(consumer),
    });
    // The poison message's inbox row rolled back with its effect: a fix and a replay from the DLQ can apply it.
    const inbox = await db.pool.query('SELECT event_id FROM inbox WHERE consumer = $1', [consumer]);
    expect(inbox.rows.map((row) => row.event_id)).not.toContain(published[2]!.event_id);
    expect(inbox.rowCount).toBe(4);
  });

  it('stops mid-batch with what it applied committed, offsets included, and nothing of the rest', async () => {
    await publishTestEvents(topics, reasons(10).map(blocked));
    const consumer = uniqueTestPrefix('shutdown');
    let reached!: () => void;
    const handlerReached = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const sut = startTransport({ groupId: consumer, maxBatchSize: 4 }, async (envelope) => {
      if ((envelope.payload as { reason: string }).reason !== 'r-2') return;
      reached();
      await released;
    });
    await handlerReached;

    const closing = sut.close();
    // The stop is requested while the first chunk's transaction is open; then that chunk may finish.
    await new Promise((resolve) => setTimeout(resolve, 500));
    release();
    await closing;

    const applied = await effectsOf(consumer);
    expect(applied.length).toBeLessThan(10);
    expect(await committedOffset(consumer)).toBe(applied.length);
    const inbox = await db.pool.query('SELECT 1 FROM inbox WHERE consumer = $1', [consumer]);
    expect(inbox.rowCount).toBe(applied.length);

    // The next start of the group picks up exactly the rest.
    startTransport({ groupId: consumer, maxBatchSize: 4 });
    await expectEventually(async () => expect(await committedOffset(consumer)).toBe(10), {
      timeoutMs: 60_000,
    });
    expect(await effectsOf(consumer)).toEqual(reasons(10).sort());
  });

  async function readDeadLetters(): Promise<{ messages: KafkaMessage[]; stop: () => Promise<void> }> {
    const messages: KafkaMessage[] = [];
    const reader = topics.kafka.consumer({ groupId: uniqueTestPrefix('dlq-reader') });
    await reader.connect();
    await reader.subscribe({ topic: topics.naming.deadLetter(RG), fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void messages.push(message) });
    return { messages, stop: () => reader.disconnect() };
  }
});

function headersOf(message: KafkaMessage): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([name, value]) => [name, value?.toString()]),
  );
}
