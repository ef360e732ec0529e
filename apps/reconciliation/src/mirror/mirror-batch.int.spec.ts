import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

import { type EventEnvelope } from '@pitboss/contracts';
import { eventStoreMigrations, PostgresEventStore, withTransaction } from '@pitboss/event-store';
import { createTestSchema, type TestSchema, testEnvelope } from '@pitboss/testing';
import { walletKeys } from '@pitboss/wallet-client';

import { reconciliationMigrations } from '../reconciliation-migrations';
import { MirrorBatch } from './mirror-batch';

const TENANT = 'brand-batch';
const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });
const at = (iso: string) => new Date(iso).getTime();

const envelope = (eventType: string, payload: Record<string, unknown>, occurredAt: string): EventEnvelope =>
  testEnvelope({ eventType, tenantId: TENANT, playerId: 'p-1', payload, occurredAt: at(occurredAt) });

const requested = (betId: string, win: number, occurredAt: string) =>
  envelope('settlement.requested', { bet_id: betId, win: eur(win) }, occurredAt);
const settled = (betId: string, win: number) =>
  envelope(
    'bet.settled',
    { bet_id: betId, win: eur(win), wallet_transaction_id: 'w', game_id: 'starburst' },
    '2026-12-07T10:05:00Z',
  );
const compensated = (betId: string, occurredAt: string) =>
  envelope('settlement.compensated', { bet_id: betId }, occurredAt);

/** A unit's events written together: what the mirror and the watch hold is as if each was written on its own. */
describe(MirrorBatch.name, () => {
  let db: TestSchema;
  const writers = { eventStore: new PostgresEventStore({ region: 'local' }) };

  beforeAll(async () => {
    db = await createTestSchema([...eventStoreMigrations, ...reconciliationMigrations], 'mirrorbatch');
  });
  afterAll(() => db.drop());

  const writeBatch = (...envelopes: EventEnvelope[]) =>
    withTransaction(db.pool, async (tx) => {
      const batch = new MirrorBatch(writers);
      envelopes.forEach((each) => batch.add(each));
      await batch.write(tx);
    });
  const watchOf = async (betId: string) =>
    (
      await db.pool.query(
        `SELECT requested_at, win_minor_units::int AS win, settled_count, compensated_at
           FROM settlement_watch WHERE tenant_id = $1 AND bet_id = $2`,
        [TENANT, betId],
      )
    ).rows[0];
  const alertsOf = async (betId: string) =>
    (
      await db.pool.query(
        `SELECT data->>'detector' AS detector FROM events
          WHERE event_type = 'discrepancy.detected' AND data->>'transaction_key' = $1`,
        [walletKeys.credit(TENANT, betId)],
      )
    ).rows;

  it('given a bet’s events in one batch, then its watch row folds them in order', async () => {
    await writeBatch(
      requested('b-1', 500, '2026-12-07T10:01:00Z'),
      requested('b-1', 700, '2026-12-07T10:00:00Z'),
      compensated('b-1', '2026-12-07T10:03:00Z'),
      compensated('b-1', '2026-12-07T10:04:00Z'),
    );

    // The earliest request's clock, the latest request's win, the first compensation.
    expect(await watchOf('b-1')).toEqual({
      requested_at: new Date('2026-12-07T10:00:00Z'),
      win: 700,
      settled_count: 0,
      compensated_at: new Date('2026-12-07T10:03:00Z'),
    });
  });

  it('given a later batch, then it folds onto the row the earlier one left', async () => {
    await writeBatch(
      requested('b-2', 500, '2026-12-07T10:01:00Z'),
      compensated('b-2', '2026-12-07T10:03:00Z'),
    );

    await writeBatch(settled('b-3', 100), compensated('b-2', '2026-12-07T10:02:00Z'));
    await writeBatch(requested('b-2', 900, '2026-12-07T10:05:00Z'));

    expect(await watchOf('b-2')).toEqual({
      requested_at: new Date('2026-12-07T10:01:00Z'),
      win: 900,
      settled_count: 0,
      compensated_at: new Date('2026-12-07T10:03:00Z'),
    });
  });

  it('given a bet settled twice in one batch, then settled_twice is raised once', async () => {
    await writeBatch(settled('b-4', 300), settled('b-4', 300));

    expect((await watchOf('b-4')).settled_count).toBe(2);
    expect(await alertsOf('b-4')).toEqual([{ detector: 'settled_twice' }]);
  });

  it('given a bet settled once, then again in a later batch, then settled_twice is raised by the later one', async () => {
    await writeBatch(settled('b-5', 300));
    expect(await alertsOf('b-5')).toEqual([]);

    await writeBatch(settled('b-5', 300));

    expect((await watchOf('b-5')).settled_count).toBe(2);
    expect(await alertsOf('b-5')).toEqual([{ detector: 'settled_twice' }]);
  });

  it('given a bet settled twice in one batch, then settled_twice joins the trace of the second settlement', async () => {
    // A context manager, so that a context entered around `add` is the active one inside it.
    new NodeTracerProvider().register();
    const spanOf = (traceId: string) =>
      trace.setSpan(
        ROOT_CONTEXT,
        trace.wrapSpanContext({ traceId, spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED }),
      );
    const [firstTrace, secondTrace] = ['1'.repeat(32), '2'.repeat(32)];

    await withTransaction(db.pool, async (tx) => {
      const batch = new MirrorBatch(writers);
      context.with(spanOf(firstTrace), () => batch.add(settled('b-7', 300)));
      context.with(spanOf(secondTrace), () => batch.add(settled('b-7', 300)));
      await batch.write(tx);
    });

    const { rows } = await db.pool.query(
      `SELECT metadata->>'trace_id' AS trace_id FROM events
        WHERE event_type = 'discrepancy.detected' AND data->>'transaction_key' = $1`,
      [walletKeys.credit(TENANT, 'b-7')],
    );
    expect(rows).toEqual([{ trace_id: secondTrace }]);
  });

  it('given a wallet key twice in one batch, then the mirror keeps the first row', async () => {
    const first = settled('b-6', 300);
    await writeBatch(first, settled('b-6', 999));

    const { rows } = await db.pool.query(
      'SELECT amount_minor_units::int AS amount, source_event_id FROM expected_movements WHERE transaction_key = $1',
      [walletKeys.credit(TENANT, 'b-6')],
    );
    expect(rows).toEqual([{ amount: 300, source_event_id: first.event_id }]);
  });
});
