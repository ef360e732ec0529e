import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { type KafkaMessage } from 'kafkajs';
import { Registry } from 'prom-client';

import { type EventEnvelope, TOPICS } from '@pitboss/contracts';
import {
  eventStoreMigrations,
  PostgresEventStore,
  postgresInbox,
  type Transaction,
} from '@pitboss/event-store';
import {
  ConsumedEvent,
  type ConsumerInbox,
  type DecodedMessage,
  transactionalProcessor,
} from '@pitboss/messaging';
import { activeTraceparent } from '@pitboss/observability';
import { createTestSchema, type TestSchema, testEnvelope } from '@pitboss/testing';

import { wageringMigrations } from '../migrations/wagering-migrations';
import { ContributionSchemasRepository } from '../schemas/contribution-schemas.repository';
import { wageringProgressConfig } from '../wagering-progress.config';
import { WageringMetrics } from './wagering.metrics';
import { WageringService } from './wagering.service';
import { WageringEventsConsumer } from './wagering-events.consumer';
import { WAGERING_CONSUMER, WageringEventsHandler } from './wagering-events.handler';
import { WageringStreamsRepository } from './wagering-streams.repository';

const TENANT = 'brand-unit';
const EUR = (minor_units: number) => ({ minor_units, currency: 'EUR' });
const MINUTE = 60_000;

/**
 * A unit of work's events (one transaction, as the transport's batches) on the real consumer and Postgres: its
 * players' active grants are read once, and each event still sees the grants the unit's earlier events left.
 */
describe('wagering-progress: one unit of work (real Postgres)', () => {
  let db: TestSchema;
  let metrics: Registry;
  let consumer: WageringEventsConsumer;
  /** The statements of the units' transactions, in order. */
  const statements: string[] = [];
  /** The trace context active when each event was handled, by event id. */
  const handledIn = new Map<string, string | undefined>();

  beforeAll(async () => {
    // A context manager, so that each message's span is the active context while its handler runs.
    new NodeTracerProvider().register();
    db = await createTestSchema([...eventStoreMigrations, ...wageringMigrations], 'wagerunit');
    const store = new PostgresEventStore({ region: 'local' });
    const config = wageringProgressConfig({ ...process.env, DATABASE_SCHEMA: db.schema });
    const wagering = new WageringService(
      new WageringStreamsRepository(store),
      new ContributionSchemasRepository(db.pool, store, config),
    );
    metrics = new Registry();
    consumer = new WageringEventsConsumer(new WageringEventsHandler(wagering), new WageringMetrics(metrics));
  });
  afterAll(() => db.drop());

  /** Applies the events as one chunk of the transport: one transaction, the inbox claim, then each handler. */
  const applyUnit = async (...envelopes: EventEnvelope[]) => {
    const processor = transactionalProcessor(
      countingStatements(postgresInbox(db.pool)),
      WAGERING_CONSUMER,
      (message, unit) => {
        handledIn.set(message.envelope.event_id, activeTraceparent());
        consumer.onEvent(message.envelope, new ConsumedEvent<Transaction>([message.context, unit]));
        return Promise.resolve();
      },
    );
    await processor.applyAll!(envelopes.map(decodedMessageOf));
  };
  // The real inbox and transaction; only what the unit sends to Postgres is noted, to count its reads.
  const countingStatements = (inbox: ConsumerInbox<Transaction>): ConsumerInbox<Transaction> => ({
    transaction: (work) => inbox.transaction((tx) => work(recordingStatements(tx))),
    claim: (tx, consumerName, events) => inbox.claim(tx, consumerName, events),
  });
  const recordingStatements = (tx: Transaction): Transaction =>
    new Proxy(tx, {
      get: (target, property) =>
        property === 'query'
          ? (...args: Parameters<Transaction['query']>) => {
              statements.push(typeof args[0] === 'string' ? args[0] : String(args[0]));
              return (target.query as (...a: unknown[]) => unknown)(...args);
            }
          : Reflect.get(target, property, target),
    });

  const issued = (playerId: string, grantId: string, occurredAt = Date.now() - 10 * MINUTE) =>
    testEnvelope({
      eventType: 'bonus.issued',
      tenantId: TENANT,
      playerId,
      occurredAt,
      payload: {
        grant_id: grantId,
        offer_id: 'offer-1',
        amount: EUR(1_000),
        max_bet: null,
        expires_at: Date.now() + 30 * 24 * 60 * MINUTE,
        wagering_required: EUR(1_000),
        wagering_base: 'bonus',
        // No pinned schema: every stake counts in full.
        contribution_schema_id: null,
        contribution_schema_version: null,
        wagering_ends_at: null,
        excluded_games: [],
      },
    });
  const settled = (playerId: string, betId: string, stake: number) =>
    testEnvelope({
      eventType: 'bet.settled',
      tenantId: TENANT,
      playerId,
      payload: {
        bet_id: betId,
        win: EUR(0),
        wallet_transaction_id: null,
        stake: EUR(stake),
        game_id: 'starburst',
        game_type: 'slot',
        provider: 'netent',
        bonus_grant_id: null,
        entitlement_id: null,
        funded_by: 'bonus',
        math_version: null,
      },
    });
  const revoked = (playerId: string, grantId: string) =>
    testEnvelope({
      eventType: 'bonus.revoked',
      tenantId: TENANT,
      playerId,
      payload: { grant_id: grantId, reason: 'manual' },
    });

  const grantOf = async (grantId: string) =>
    (
      await db.pool.query(
        'SELECT status, contributed_minor::int AS contributed FROM wagering_grants WHERE grant_id = $1',
        [grantId],
      )
    ).rows[0];
  const receiptsOf = async (grantId: string) =>
    (
      await db.pool.query(
        `SELECT bet_id, contribution_minor::int AS contribution, reason FROM wagering_contributions
          WHERE grant_id = $1 ORDER BY seq`,
        [grantId],
      )
    ).rows;
  const recordedCount = async () => {
    const lag = (await metrics.getMetricsAsJSON()).find(
      ({ name }) => name === 'wagering_progress_lag_seconds',
    );
    const values = (lag?.values ?? []) as { metricName?: string; value: number }[];
    return values.find(({ metricName }) => metricName === 'wagering_progress_lag_seconds_count')?.value ?? 0;
  };
  const activeGrantReads = () =>
    statements.filter((sql) => /FROM wagering_grants[\s\S]*status = 'active'/.test(sql));

  it('given the settled bets of many players in one unit, then their active grants are read with one statement', async () => {
    await applyUnit(issued('p-many-b', 'g-many'));
    statements.length = 0;
    const recordedBefore = await recordedCount();

    await applyUnit(
      settled('p-many-a', 'b-many-1', 100),
      settled('p-many-b', 'b-many-2', 100),
      settled('p-many-c', 'b-many-3', 100),
      settled('p-many-b', 'b-many-4', 200),
      settled('p-many-a', 'b-many-5', 100),
    );

    expect(activeGrantReads()).toHaveLength(1);
    // Progress that leaves the grant active changes nothing the read holds: the second bet feeds it from the same read.
    expect(await receiptsOf('g-many')).toEqual([
      { bet_id: 'b-many-2', contribution: 100, reason: null },
      { bet_id: 'b-many-4', contribution: 200, reason: null },
    ]);
    expect(await grantOf('g-many')).toEqual({ status: 'active', contributed: 300 });
    expect((await recordedCount()) - recordedBefore).toBe(5);
  });

  it('given a bet that completes a grant, then a later bet of the unit feeds the player’s next grant', async () => {
    await applyUnit(
      issued('p-done', 'g-done-first', Date.now() - 20 * MINUTE),
      issued('p-done', 'g-done-next', Date.now() - 10 * MINUTE),
    );

    await applyUnit(settled('p-done', 'b-done-1', 1_000), settled('p-done', 'b-done-2', 300));

    expect(await grantOf('g-done-first')).toEqual({ status: 'completed', contributed: 1_000 });
    expect(await receiptsOf('g-done-first')).toEqual([
      { bet_id: 'b-done-1', contribution: 1_000, reason: null },
    ]);
    expect(await grantOf('g-done-next')).toEqual({ status: 'active', contributed: 300 });
    expect(await receiptsOf('g-done-next')).toEqual([
      { bet_id: 'b-done-1', contribution: 0, reason: 'OTHER_GRANT' },
      { bet_id: 'b-done-2', contribution: 300, reason: null },
    ]);
  });

  it('given a grant issued in the unit (mixed topics), then a later bet of the unit feeds it', async () => {
    await applyUnit(
      settled('p-new', 'b-new-1', 100),
      issued('p-new', 'g-new'),
      settled('p-new', 'b-new-2', 400),
    );

    expect(await receiptsOf('g-new')).toEqual([{ bet_id: 'b-new-2', contribution: 400, reason: null }]);
    expect(await grantOf('g-new')).toEqual({ status: 'active', contributed: 400 });
  });

  it('given a grant ended in the unit, then a later bet of the unit feeds the player’s next grant', async () => {
    await applyUnit(
      issued('p-end', 'g-end-first', Date.now() - 20 * MINUTE),
      issued('p-end', 'g-end-next', Date.now() - 10 * MINUTE),
    );

    await applyUnit(
      settled('p-end', 'b-end-1', 100),
      revoked('p-end', 'g-end-first'),
      settled('p-end', 'b-end-2', 200),
    );

    expect(await grantOf('g-end-first')).toEqual({ status: 'ended', contributed: 100 });
    expect((await receiptsOf('g-end-first')).map(({ bet_id }) => bet_id)).toEqual(['b-end-1']);
    expect(await receiptsOf('g-end-next')).toEqual([
      { bet_id: 'b-end-1', contribution: 0, reason: 'OTHER_GRANT' },
      { bet_id: 'b-end-2', contribution: 200, reason: null },
    ]);
  });

  it('given events applied at the end of the unit, then each one’s appends join the trace it was handled in', async () => {
    await applyUnit(issued('p-trace', 'g-trace'));
    const first = issued('p-trace-other', 'g-trace-other');
    const bet = settled('p-trace', 'b-trace', 100);

    await applyUnit(first, bet);

    const { rows } = await db.pool.query<{ causation_id: string; traceparent: string }>(
      `SELECT DISTINCT metadata->>'causation_id' AS causation_id, metadata->>'traceparent' AS traceparent
         FROM events WHERE metadata->>'causation_id' = ANY($1::text[])`,
      [[first.event_id, bet.event_id]],
    );
    expect(handledIn.get(first.event_id)).toEqual(expect.any(String));
    expect(handledIn.get(bet.event_id)).not.toEqual(handledIn.get(first.event_id));
    expect(rows).toEqual(
      expect.arrayContaining([
        { causation_id: first.event_id, traceparent: handledIn.get(first.event_id) },
        { causation_id: bet.event_id, traceparent: handledIn.get(bet.event_id) },
      ]),
    );
    expect(rows).toHaveLength(2);
  });
});

/** The event as the transport decodes it from its topic (no traceparent: each message's span starts a trace). */
function decodedMessageOf(envelope: EventEnvelope, index: number): DecodedMessage {
  const topic = envelope.event_type.startsWith('bet.') ? TOPICS.settlements.name : TOPICS.promoGrants.name;
  const offset = String(index);
  return {
    envelope,
    context: { topic, partition: 0, offset, key: null, headers: {} },
    message: { key: null, value: null, timestamp: '0', attributes: 0, offset, headers: {} } as KafkaMessage,
    physicalTopic: topic,
    consumerGroup: WAGERING_CONSUMER,
  };
}
