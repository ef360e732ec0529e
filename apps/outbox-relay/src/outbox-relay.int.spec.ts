import { randomUUID } from 'node:crypto';

import { eventStoreMigrations, PostgresEventStore, processOnce } from '@pitboss/event-store';
import {
  collectEvents,
  createTestSchema,
  expectEventually,
  provisionTestTopics,
  runOutboxWorkload,
  startRelayProcess,
  type AppendedEvent,
  type EventCollector,
  type ReceivedEvent,
  type RelayProcess,
  type TestSchema,
  type TestTopics,
} from '@pitboss/testing';

const SETTLEMENTS = 'rgs.settlements.v1';

function uniqueEventIds(received: readonly ReceivedEvent[]): Set<string> {
  return new Set(received.map((event) => event.envelope.event_id));
}

/** Per key, the sequence numbers in the order first delivered: must be 1, 2, 3… with nothing missing. */
function sequencesByKeyInDeliveryOrder(received: readonly ReceivedEvent[]): Map<string, number[]> {
  const seen = new Set<string>();
  const byKey = new Map<string, number[]>();
  for (const { envelope, context } of received) {
    if (seen.has(envelope.event_id)) continue;
    seen.add(envelope.event_id);
    const key = context.key ?? '';
    byKey.set(key, [
      ...(byKey.get(key) ?? []),
      (envelope.payload as { win: { minor_units: number } }).win.minor_units,
    ]);
  }
  return byKey;
}

function expectedSequencesByKey(appended: readonly AppendedEvent[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const event of appended) byKey.set(event.key, [...(byKey.get(event.key) ?? []), event.sequence]);
  return byKey;
}

describe('outbox-relay (real Postgres, Kafka, registry; relay as a process)', () => {
  let db: TestSchema;
  let topics: TestTopics;
  let collector: EventCollector | undefined;
  const relays: RelayProcess[] = [];

  beforeEach(async () => {
    db = await createTestSchema(eventStoreMigrations, 'relay');
    topics = await provisionTestTopics('relay');
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.kill('SIGTERM')));
    await collector?.stop();
    await topics.cleanup();
    await db.drop();
  });

  const startRelay = (env: Readonly<Record<string, string>> = {}) => {
    const relay = startRelayProcess([db.schema], { ...topics.env, ...env });
    relays.push(relay);
    return relay;
  };
  const workload = (writers: number, appendsPerWriter: number) =>
    runOutboxWorkload({ databaseUrl: db.databaseUrl, schema: db.schema, writers, appendsPerWriter });

  it('publishes every event of 8 concurrent writers once, decodable through the registry, in per-key order', async () => {
    collector = await collectEvents(topics, [SETTLEMENTS]);
    const relay = startRelay();
    await relay.waitForRole(db.schema, 'active');

    const appended = await workload(8, 400);

    const received = collector.received;
    await expectEventually(() => expect(uniqueEventIds(received).size).toBe(appended.length), {
      timeoutMs: 60_000,
    });
    expect(received).toHaveLength(appended.length);
    expect(uniqueEventIds(received)).toEqual(new Set(appended.map((event) => event.eventId)));
    expect(sequencesByKeyInDeliveryOrder(received)).toEqual(expectedSequencesByKey(appended));
    const partitionsByKey = new Map<string, Set<number>>();
    for (const { context } of received)
      partitionsByKey.set(
        context.key ?? '',
        (partitionsByKey.get(context.key ?? '') ?? new Set()).add(context.partition),
      );
    expect([...partitionsByKey.values()].every((partitions) => partitions.size === 1)).toBe(true);
    expect(received[0]?.envelope).toMatchObject({
      event_type: 'bet.settled',
      tenant_id: 'tenant-load',
      region: 'test',
    });
  });

  it('loses nothing when the relay is killed with SIGKILL mid-publishing; the inbox absorbs the re-sent events', async () => {
    await db.pool.query('CREATE TABLE credited (event_id uuid NOT NULL)');
    collector = await collectEvents(topics, [SETTLEMENTS], async (envelope) => {
      await processOnce(
        db.pool,
        { consumer: 'credit', eventId: envelope.event_id, eventType: envelope.event_type },
        async (tx) => {
          await tx.query('INSERT INTO credited (event_id) VALUES ($1)', [envelope.event_id]);
        },
      );
    });
    const first = startRelay();
    await first.waitForRole(db.schema, 'active');

    const writing = workload(8, 300);
    await expectEventually(() => expect(collector?.received.length).toBeGreaterThan(200), {
      timeoutMs: 60_000,
      intervalMs: 5,
    });
    await first.kill('SIGKILL');
    const appended = await writing;
    const unpublished = Number((await db.pool.query('SELECT count(*) AS n FROM outbox')).rows[0].n);
    startRelay();

    const received = collector.received;
    await expectEventually(() => expect(uniqueEventIds(received).size).toBe(appended.length), {
      timeoutMs: 60_000,
    });
    expect(unpublished).toBeGreaterThan(0); // the kill really left work behind for the second relay
    expect(sequencesByKeyInDeliveryOrder(received)).toEqual(expectedSequencesByKey(appended));
    const credited = await db.pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_n FROM credited',
    );
    expect(credited.rows[0]).toEqual({ n: appended.length, distinct_n: appended.length });
  });

  it('lets a standby take over when the active relay dies', async () => {
    collector = await collectEvents(topics, [SETTLEMENTS]);
    const active = startRelay();
    await active.waitForRole(db.schema, 'active');
    const standby = startRelay();
    await standby.waitForRole(db.schema, 'standby');

    await active.kill('SIGKILL');
    await standby.waitForRole(db.schema, 'active');
    const appended = await workload(2, 50);

    await expectEventually(() => expect(uniqueEventIds(collector!.received).size).toBe(appended.length), {
      timeoutMs: 30_000,
    });
  });

  it('re-publishes a replayed range after Kafka lost acknowledged messages; consumers absorb the duplicates', async () => {
    await db.pool.query('CREATE TABLE credited (event_id uuid NOT NULL)');
    const credit = async (envelope: ReceivedEvent['envelope']) => {
      await processOnce(
        db.pool,
        { consumer: 'credit', eventId: envelope.event_id, eventType: envelope.event_type },
        async (tx) => {
          await tx.query('INSERT INTO credited (event_id) VALUES ($1)', [envelope.event_id]);
        },
      );
    };
    collector = await collectEvents(topics, [SETTLEMENTS], credit);
    startRelay();
    const appended = await workload(2, 100);
    await expectEventually(() => expect(uniqueEventIds(collector!.received).size).toBe(appended.length), {
      timeoutMs: 30_000,
    });

    // The broker "loses" everything it acknowledged: a new reader finds the topic empty.
    const topic = topics.naming.physical(SETTLEMENTS);
    const offsets = await topics.admin.fetchTopicOffsets(topic);
    await topics.admin.deleteTopicRecords({
      topic,
      partitions: offsets.map(({ partition, high }) => ({ partition, offset: high })),
    });
    const positions = (
      await db.pool.query('SELECT min(global_position) AS first, max(global_position) AS last FROM events')
    ).rows[0];

    const replay = await import('node:child_process').then(({ execFileSync }) =>
      execFileSync(
        'npx',
        [
          'tsx',
          'apps/outbox-relay/src/replay.cli.ts',
          '--source',
          db.schema,
          '--from',
          positions.first,
          '--to',
          positions.last,
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, ...topics.env },
        },
      ),
    );

    expect(replay).toContain(`re-enqueued ${appended.length} events`);
    const reader = await collectEvents(topics, [SETTLEMENTS]);
    try {
      await expectEventually(
        () =>
          expect(uniqueEventIds(reader.received)).toEqual(new Set(appended.map((event) => event.eventId))),
        { timeoutMs: 30_000 },
      );
    } finally {
      await reader.stop();
    }
    await expectEventually(() => expect(collector!.received.length).toBe(appended.length * 2), {
      timeoutMs: 30_000,
    });
    expect((await db.pool.query('SELECT count(*)::int AS n FROM credited')).rows[0].n).toBe(appended.length);
  });

  it('drains a backlog of many full batches, read ahead while Kafka refuses and then accepts, once each and in order', async () => {
    // Small batches, so the backlog is many full ones: each is read while the one before is being published.
    const appended = await workload(4, 60);
    await topics.admin.deleteTopics({ topics: [topics.naming.physical(SETTLEMENTS)] });
    const relay = startRelay({ RELAY_BATCH_SIZE: '16' });
    await relay.waitForRole(db.schema, 'active');
    await expectEventually(async () => {
      const row = (await db.pool.query('SELECT max(attempts) AS attempts FROM outbox')).rows[0];
      expect(row?.attempts).toBeGreaterThan(1);
    });

    await topics.admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: topics.naming.physical(SETTLEMENTS), numPartitions: 3 }],
    });
    collector = await collectEvents(topics, [SETTLEMENTS]);

    await expectEventually(() => expect(uniqueEventIds(collector!.received).size).toBe(appended.length), {
      timeoutMs: 60_000,
    });
    expect(collector.received).toHaveLength(appended.length);
    expect(uniqueEventIds(collector.received)).toEqual(new Set(appended.map((event) => event.eventId)));
    expect(sequencesByKeyInDeliveryOrder(collector.received)).toEqual(expectedSequencesByKey(appended));
    await expectEventually(async () =>
      expect((await db.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(0),
    );
  });

  it('keeps rows in the outbox, counting attempts, while Kafka refuses them, and publishes them once it accepts', async () => {
    const store = new PostgresEventStore({ region: 'test' });
    await topics.admin.deleteTopics({ topics: [topics.naming.physical(SETTLEMENTS)] });
    const relay = startRelay();
    await relay.waitForRole(db.schema, 'active');
    await store.append(
      db.pool,
      `bet-${randomUUID()}`,
      'no_stream',
      [
        {
          type: 'bet.settled',
          data: { bet_id: 'x', win: { minor_units: 1, currency: 'EUR' }, wallet_transaction_id: null },
        },
      ],
      {
        tenantId: 't',
        playerId: 'p',
      },
    );

    await expectEventually(async () => {
      const row = (await db.pool.query('SELECT attempts, last_error FROM outbox')).rows[0];
      expect(row?.attempts).toBeGreaterThan(0);
    });
    await topics.admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: topics.naming.physical(SETTLEMENTS), numPartitions: 3 }],
    });
    await expectEventually(
      async () => expect((await db.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(0),
      { timeoutMs: 60_000 },
    );
  });
});
