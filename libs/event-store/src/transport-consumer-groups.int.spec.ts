import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope } from '@pitboss/contracts';
import {
  consumerGroupTransport,
  EventsController,
  EventTransaction,
  KafkaEventTransport,
} from '@pitboss/messaging';
import {
  createTestSchema,
  expectEventually,
  provisionTestTopics,
  publishTestEvents,
  type TestSchema,
  type TestTopics,
} from '@pitboss/testing';

import { type Transaction } from './database';
import { postgresInbox } from './inbox';
import { eventStoreMigrations } from './migrations/event-store-migrations';

const RG = 'rg.v1';
const EVERY_BLOCK = 'groups-every-block';
const ODD_BLOCKS = 'groups-odd-blocks';
const reasons = ['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6'];
const isOdd = (envelope: EventEnvelope) => Number(reasonOf(envelope).slice(2)) % 2 === 1;

function reasonOf(envelope: EventEnvelope): string {
  return (envelope.payload as { reason: string }).reason;
}

async function recordEffect(tx: Transaction, consumer: string, envelope: EventEnvelope): Promise<void> {
  await tx.query('INSERT INTO effects (consumer, event_id, reason) VALUES ($1, $2, $3)', [
    consumer,
    envelope.event_id,
    reasonOf(envelope),
  ]);
}

// Two controllers of the same event type, each naming its group, as bonus-grant's four groups do.
@EventsController()
class EveryBlockConsumer {
  @EventPattern('player.blocked', consumerGroupTransport(EVERY_BLOCK))
  onBlocked(@Payload() envelope: EventEnvelope, @EventTransaction() tx: Transaction): Promise<void> {
    return recordEffect(tx, EVERY_BLOCK, envelope);
  }
}

@EventsController()
class OddBlockConsumer {
  @EventPattern('player.blocked', consumerGroupTransport(ODD_BLOCKS))
  onBlocked(@Payload() envelope: EventEnvelope, @EventTransaction() tx: Transaction): Promise<void> {
    return recordEffect(tx, ODD_BLOCKS, envelope);
  }
}

@Module({ controllers: [EveryBlockConsumer, OddBlockConsumer] })
class TwoGroupsModule {}

/**
 * One Nest app with two consumer groups on one topic, through `@nestjs/microservices` on real Kafka, registry and
 * Postgres: each handler is served by its own group's transport only, and a group's selector keeps the events it
 * declines out of its inbox.
 */
describe('KafkaEventTransport: several consumer groups in one app', () => {
  let topics: TestTopics;
  let db: TestSchema;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    [db, topics] = await Promise.all([
      createTestSchema(eventStoreMigrations, 'groups'),
      provisionTestTopics('groups', 1),
    ]);
    await db.pool.query('CREATE TABLE effects (consumer text NOT NULL, event_id uuid NOT NULL, reason text)');
  });
  afterAll(async () => {
    await app?.close();
    await topics?.cleanup();
    await db?.drop();
  });

  const rowsOf = async (table: 'effects' | 'inbox', consumer: string) =>
    (
      await db.pool.query<{ event_id: string }>(`SELECT event_id FROM ${table} WHERE consumer = $1`, [
        consumer,
      ])
    ).rows.map((row) => row.event_id);

  it('serves each handler from its own group, and records no inbox row of what a group declines', async () => {
    const published = await publishTestEvents(
      topics,
      reasons.map((reason) => ({
        topic: RG,
        eventType: 'player.blocked',
        tenantId: 't-groups',
        playerId: 'p-1',
        payload: { reason },
      })),
    );
    const transport = (groupId: string, selects?: (envelope: EventEnvelope) => boolean) =>
      new KafkaEventTransport<Transaction>(
        { kafka: topics.kafka, codec: topics.codec, naming: topics.naming },
        {
          groupId,
          topics: [RG],
          inbox: postgresInbox(db.pool),
          fromBeginning: true,
          ...(selects ? { selects } : {}),
        },
      );
    app = await NestFactory.create(TwoGroupsModule, { logger: false });
    app.connectMicroservice({ strategy: transport(EVERY_BLOCK) });
    app.connectMicroservice({ strategy: transport(ODD_BLOCKS, isOdd) });
    await app.init();
    await app.startAllMicroservices();

    const ids = published.map((event) => event.event_id);
    const oddIds = published.filter(isOdd).map((event) => event.event_id);
    await expectEventually(
      async () => {
        expect((await rowsOf('effects', EVERY_BLOCK)).sort()).toEqual([...ids].sort());
        expect((await rowsOf('effects', ODD_BLOCKS)).sort()).toEqual([...oddIds].sort());
      },
      { timeoutMs: 60_000 },
    );
    // Had a handler been served by both transports, a group's batch would have recorded the other's effects too.
    expect(await rowsOf('effects', EVERY_BLOCK)).toHaveLength(6);
    expect(await rowsOf('effects', ODD_BLOCKS)).toHaveLength(3);
    expect((await rowsOf('inbox', EVERY_BLOCK)).sort()).toEqual([...ids].sort());
    expect((await rowsOf('inbox', ODD_BLOCKS)).sort()).toEqual([...oddIds].sort());
  });
});
