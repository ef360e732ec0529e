import { type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type KafkaMessage } from 'kafkajs';

import { type EventEnvelope } from '@pitboss/contracts';
import {
  type ConsumedEvent,
  EventsController,
  EventTransaction,
  KafkaEventTransport,
  NonRetryableError,
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
import { postgresInbox } from './inbox';
import { eventStoreMigrations } from './migrations/event-store-migrations';

const RG = 'rg.v1';

interface Seen {
  readonly envelope: EventEnvelope;
  readonly topic: string;
  readonly sameTransaction: boolean;
  /** The event's own inbox row, as the handler's transaction sees it (uncommitted to anyone else). */
  readonly inboxRowsInTransaction: number;
}

@EventsController()
class BlockedPlayers {
  readonly seen: Seen[] = [];
  readonly committed: string[] = [];

  @EventPattern('player.blocked')
  async onBlocked(
    @Payload() envelope: EventEnvelope,
    @Ctx() event: ConsumedEvent<Transaction>,
    @EventTransaction() tx: Transaction,
  ): Promise<void> {
    const { reason } = envelope.payload as { reason: string };
    if (reason === 'refused') throw new NonRetryableError('this block can never apply');
    const inbox = await tx.query('SELECT 1 FROM inbox WHERE event_id = $1', [envelope.event_id]);
    await tx.query('INSERT INTO blocked_players (player_id, reason) VALUES ($1, $2)', [
      envelope.player_id,
      reason,
    ]);
    this.seen.push({
      envelope,
      topic: event.source.topic,
      sameTransaction: event.transaction === tx,
      inboxRowsInTransaction: inbox.rowCount ?? 0,
    });
    event.afterCommit(() => this.committed.push(envelope.event_id));
  }
}

@Module({ controllers: [BlockedPlayers] })
class BlockedPlayersModule {}

/** A Nest microservice on the transport: @EventPattern handlers get the decoded event and the transaction. */
describe('@EventPattern handlers on KafkaEventTransport', () => {
  let topics: TestTopics;
  let db: TestSchema;
  let app: INestMicroservice | undefined;

  beforeAll(async () => {
    db = await createTestSchema(eventStoreMigrations, 'inboxpattern');
    await db.pool.query('CREATE TABLE blocked_players (player_id text NOT NULL, reason text NOT NULL)');
    topics = await provisionTestTopics('inboxpattern', 1);
  });
  afterAll(async () => {
    await app?.close();
    await topics.cleanup();
    await db.drop();
  });

  it('hands the decoded event and its transaction to the handler, skips unhandled types, dead-letters refusals', async () => {
    const event = (eventType: string, playerId: string, reason: string) => ({
      topic: RG,
      eventType,
      tenantId: 't-pattern',
      playerId,
      payload: { reason },
    });
    const [blocked, unblocked, refused] = await publishTestEvents(topics, [
      event('player.blocked', 'p-1', 'kyc'),
      // No handler declares player.unblocked: recorded in the inbox, nothing else.
      event('player.unblocked', 'p-1', 'cleared'),
      event('player.blocked', 'p-2', 'refused'),
    ]);
    const groupId = uniqueTestPrefix('pattern');
    const strategy = new KafkaEventTransport<Transaction>(
      { kafka: topics.kafka, codec: topics.codec, naming: topics.naming },
      { groupId, topics: [RG], inbox: postgresInbox(db.pool), fromBeginning: true },
    );
    app = await NestFactory.createMicroservice(BlockedPlayersModule, { strategy, logger: false });
    await app.listen();
    const dlq = await readDeadLetters();

    await expectEventually(() => expect(dlq.messages).toHaveLength(1), { timeoutMs: 60_000 });
    await dlq.stop();
    const handler = app.get(BlockedPlayers);
    await expectEventually(() => expect(handler.committed).toEqual([blocked!.event_id]));
    // Run once in the batch's transaction, which the refusal rolled back, then again on its own: every run saw
    // the decoded event and the transaction holding its inbox row; only the committed one's after-commit step ran.
    expect(handler.seen.length).toBeGreaterThanOrEqual(1);
    for (const seen of handler.seen)
      expect(seen).toEqual({
        envelope: expect.objectContaining({
          event_id: blocked!.event_id,
          event_type: 'player.blocked',
          tenant_id: 't-pattern',
          player_id: 'p-1',
          payload: { reason: 'kyc' },
        }),
        topic: RG,
        sameTransaction: true,
        inboxRowsInTransaction: 1,
      });
    expect((await db.pool.query('SELECT player_id, reason FROM blocked_players')).rows).toEqual([
      { player_id: 'p-1', reason: 'kyc' },
    ]);
    const inbox = await db.pool.query<{ event_id: string; event_type: string }>(
      'SELECT event_id, event_type FROM inbox WHERE consumer = $1 ORDER BY event_type',
      [groupId],
    );
    expect(inbox.rows).toEqual([
      { event_id: blocked!.event_id, event_type: 'player.blocked' },
      { event_id: unblocked!.event_id, event_type: 'player.unblocked' },
    ]);
    // The handler's own error, kept by @EventsController: non-retryable, so parked after one attempt.
    expect((await topics.codec.decode(dlq.messages[0]!.value!)).event_id).toBe(refused!.event_id);
    expect(headersOf(dlq.messages[0]!)).toMatchObject({
      'dlq-error': 'this block can never apply',
      'dlq-error-type': 'NonRetryableError',
      'dlq-attempts': '1',
    });
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
