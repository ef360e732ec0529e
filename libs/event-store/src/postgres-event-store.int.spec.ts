import { randomUUID } from 'node:crypto';

import { type Pool } from 'pg';

import { createTestSchema, type TestSchema } from '@pitboss/testing';

import { withTransaction } from './database';
import { EventContractError } from './event-contract.error';
import { type ExpectedVersion, type NewEvent } from './events';
import { type GuardedWrite, GuardNotHeldError } from './guarded-write';
import { eventStoreMigrations } from './migrations/event-store-migrations';
import { PostgresEventStore } from './postgres-event-store';
import { statementNameOf } from './prepared-statement-client';
import { StreamVersionConflictError } from './stream-version-conflict.error';

const context = {
  tenantId: 'tenant-a',
  playerId: 'player-1',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

function betSettled(betId: string, minorUnits = 250): NewEvent {
  return {
    type: 'bet.settled',
    data: { bet_id: betId, win: { minor_units: minorUnits, currency: 'EUR' }, wallet_transaction_id: null },
  };
}

describe(PostgresEventStore.name, () => {
  let db: TestSchema;
  const sut = new PostgresEventStore({ region: 'eu-test' });
  /** The pool, with the text of every statement sent through it kept in `texts`. */
  const recordingPool = () => {
    const texts: string[] = [];
    const recording = {
      query: (text: string, values: unknown[]) => {
        texts.push(text);
        return db.pool.query(text, values);
      },
    } as unknown as Pool;
    return { texts, recording };
  };

  beforeAll(async () => {
    db = await createTestSchema(eventStoreMigrations, 'es');
  });
  afterAll(() => db.drop());

  it('appends to a new stream and reads the events back in order', async () => {
    const streamId = `bet-${randomUUID()}`;

    await sut.append(db.pool, streamId, 'no_stream', [betSettled('b1'), betSettled('b1', 300)], context);
    const events = await sut.readStream(db.pool, streamId);

    expect(events.map((event) => [event.streamVersion, event.type])).toEqual([
      [1, 'bet.settled'],
      [2, 'bet.settled'],
    ]);
    expect(events[0]?.metadata).toMatchObject({
      tenant_id: 'tenant-a',
      region: 'eu-test',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
    });
  });

  it('reads several streams in one query, each in version order, and an absent one as empty', async () => {
    const [first, second, absent] = [`bet-${randomUUID()}`, `bet-${randomUUID()}`, `bet-${randomUUID()}`];
    await sut.append(db.pool, first, 'no_stream', [betSettled('b1', 1), betSettled('b1', 2)], context);
    await sut.append(db.pool, second, 'no_stream', [betSettled('b2', 3)], context);
    await sut.append(db.pool, first, 2, [betSettled('b1', 4)], context);

    const streams = await sut.readStreams(db.pool, [first, second, absent]);

    const wins = (id: string) =>
      streams.get(id)!.map((event) => (event.data as { win: { minor_units: number } }).win.minor_units);
    expect([wins(first), wins(second), wins(absent)]).toEqual([[1, 2, 4], [3], []]);
    expect(streams.get(first)!.map((event) => event.streamVersion)).toEqual([1, 2, 3]);
  });

  it('folds a stream into state and reports the version to expect next', async () => {
    const streamId = `bet-${randomUUID()}`;
    await sut.append(db.pool, streamId, 'no_stream', [betSettled('b2', 100), betSettled('b2', 50)], context);

    const { state, version } = await sut.aggregateStream(db.pool, streamId, {
      initialState: () => 0,
      evolve: (total, event) => total + (event.data as { win: { minor_units: number } }).win.minor_units,
    });

    expect({ state, version }).toEqual({ state: 150, version: 2 });
  });

  it('lets exactly one of two writers at the same expected version win', async () => {
    const streamId = `bet-${randomUUID()}`;
    await sut.append(db.pool, streamId, 'no_stream', [betSettled('b3')], context);

    const outcomes = await Promise.allSettled([
      sut.append(db.pool, streamId, 1, [betSettled('b3', 1)], context),
      sut.append(db.pool, streamId, 1, [betSettled('b3', 2)], context),
    ]);

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const [rejected] = outcomes.filter(
      (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
    );
    expect(rejected?.reason).toBeInstanceOf(StreamVersionConflictError);
    expect(await sut.readStream(db.pool, streamId)).toHaveLength(2);
  });

  it('refuses a stale or a future expected version, and a second creation of one stream', async () => {
    const streamId = `bet-${randomUUID()}`;
    await sut.append(db.pool, streamId, 'no_stream', [betSettled('b4'), betSettled('b4')], context);

    await expect(sut.append(db.pool, streamId, 1, [betSettled('b4')], context)).rejects.toBeInstanceOf(
      StreamVersionConflictError,
    );
    await expect(sut.append(db.pool, streamId, 5, [betSettled('b4')], context)).rejects.toBeInstanceOf(
      StreamVersionConflictError,
    );
    await expect(
      sut.append(db.pool, streamId, 'no_stream', [betSettled('b4')], context),
    ).rejects.toBeInstanceOf(StreamVersionConflictError);
  });

  it('writes no event and no outbox row for a refused append, even in a transaction that then commits', async () => {
    const streamId = `bet-${randomUUID()}`;
    await sut.append(db.pool, streamId, 'no_stream', [betSettled('b9')], context);
    const outboxRows = async () =>
      (await db.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n as number;
    const before = await outboxRows();

    await withTransaction(db.pool, async (tx) => {
      await expect(sut.appendToStream(tx, streamId, 5, [betSettled('b9')], context)).rejects.toBeInstanceOf(
        StreamVersionConflictError,
      );
      await expect(
        sut.appendToStream(tx, streamId, 'no_stream', [betSettled('b9')], context),
      ).rejects.toBeInstanceOf(StreamVersionConflictError);
    });

    expect(await sut.readStream(db.pool, streamId)).toHaveLength(1);
    expect(await outboxRows()).toBe(before);
  });

  it('keeps a projection row with its appends, and leaves it as it was when an append is refused', async () => {
    await db.pool.query(
      'CREATE TABLE IF NOT EXISTS bet_status (bet_id text PRIMARY KEY, status text NOT NULL, updated_at timestamptz)',
    );
    const streamId = `bet-${randomUUID()}`;
    const statusRow = (status: string) => ({
      table: 'bet_status',
      key: ['bet_id'],
      values: { bet_id: streamId, status },
    });
    const statusNow = async () =>
      (await db.pool.query('SELECT status FROM bet_status WHERE bet_id = $1', [streamId])).rows;

    await withTransaction(db.pool, (tx) =>
      sut.appendToStream(tx, streamId, 'no_stream', [betSettled('b10')], context, statusRow('placed')),
    );
    await withTransaction(db.pool, (tx) =>
      sut.appendToStream(tx, streamId, 1, [betSettled('b10')], context, statusRow('settled')),
    );
    await withTransaction(db.pool, async (tx) => {
      await expect(
        sut.appendToStream(tx, streamId, 1, [betSettled('b10')], context, statusRow('stale')),
      ).rejects.toBeInstanceOf(StreamVersionConflictError);
    });

    expect(await statusNow()).toEqual([{ status: 'settled' }]);
  });

  describe('a stream read with a write (one statement)', () => {
    const takeNote = (key: string) => ({
      sql: 'DELETE FROM read_notes WHERE key = $1 RETURNING key, amount',
      parameters: [key],
    });
    const notes = async (key: string) =>
      (await db.pool.query('SELECT key FROM read_notes WHERE key = $1', [key])).rows;

    beforeAll(() =>
      db.pool.query('CREATE TABLE IF NOT EXISTS read_notes (key text PRIMARY KEY, amount bigint NOT NULL)'),
    );

    it('reads the stream in order and answers what the write returned', async () => {
      const streamId = `bet-${randomUUID()}`;
      await sut.append(db.pool, streamId, 'no_stream', [betSettled('b30', 1), betSettled('b30', 2)], context);
      await db.pool.query('INSERT INTO read_notes (key, amount) VALUES ($1, 250)', [streamId]);
      const { texts, recording } = recordingPool();

      const read = await sut.readStreamWith(recording, streamId, takeNote(streamId));

      expect(read.events.map((event) => [event.streamVersion, event.data])).toEqual([
        [1, betSettled('b30', 1).data],
        [2, betSettled('b30', 2).data],
      ]);
      expect(read.written).toEqual([{ key: streamId, amount: 250 }]);
      expect(await notes(streamId)).toEqual([]);
      expect(texts).toHaveLength(1);
      expect(statementNameOf(texts[0]!)).toBeDefined();
    });

    it('makes the write on a stream that does not exist yet, and answers no rows when it found none', async () => {
      const [noted, unnoted] = [`bet-${randomUUID()}`, `bet-${randomUUID()}`];
      await db.pool.query('INSERT INTO read_notes (key, amount) VALUES ($1, 7)', [noted]);

      expect(await sut.readStreamWith(db.pool, noted, takeNote(noted))).toEqual({
        events: [],
        written: [{ key: noted, amount: 7 }],
      });
      expect(await sut.readStreamWith(db.pool, unnoted, takeNote(unnoted))).toEqual({
        events: [],
        written: [],
      });
      expect(await notes(noted)).toEqual([]);
    });

    it("is undone with the caller's transaction", async () => {
      const streamId = `bet-${randomUUID()}`;
      await db.pool.query('INSERT INTO read_notes (key, amount) VALUES ($1, 9)', [streamId]);

      await expect(
        withTransaction(db.pool, async (tx) => {
          await sut.readStreamWith(tx, streamId, takeNote(streamId));
          throw new Error('the decision failed');
        }),
      ).rejects.toThrow('the decision failed');

      expect(await notes(streamId)).toEqual([{ key: streamId }]);
    });
  });

  describe('a guarded append (one statement, on the pool)', () => {
    // A key held by one holder: the write marks it done, only while that holder still holds it.
    const doneBy = (holder: string, key: string): GuardedWrite => ({
      held: `SELECT 1 FROM held_keys WHERE key = $1 AND holder = $2 AND NOT done FOR UPDATE`,
      writes: {
        key_done: `UPDATE held_keys SET done = true FROM claimed WHERE key = $1 AND holder = $2 RETURNING key, holder`,
      },
      parameters: [key, holder],
    });
    /** Appends one event at `expected`, with `me` marking the key of the stream done. */
    const appendAsMe = (streamId: string, expected: ExpectedVersion, betId: string) =>
      sut.appendToStream(
        db.pool,
        streamId,
        expected,
        [betSettled(betId)],
        context,
        undefined,
        doneBy('me', streamId),
      );
    const keyRow = async (key: string) =>
      (await db.pool.query('SELECT holder, done FROM held_keys WHERE key = $1', [key])).rows;
    const outboxRows = async () =>
      (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]?.n;

    beforeAll(() =>
      db.pool.query(
        'CREATE TABLE IF NOT EXISTS held_keys (key text PRIMARY KEY, holder text NOT NULL, done boolean NOT NULL DEFAULT false)',
      ),
    );

    it('is a statement the prepared-statement client names (planned once per connection)', async () => {
      const streamId = `bet-${randomUUID()}`;
      await db.pool.query(`INSERT INTO held_keys (key, holder) VALUES ($1, 'me')`, [streamId]);
      const { texts, recording } = recordingPool();

      await sut.appendToStream(
        recording,
        streamId,
        'no_stream',
        [betSettled('b19')],
        context,
        undefined,
        doneBy('me', streamId),
      );

      expect(texts).toHaveLength(1);
      expect(statementNameOf(texts[0]!)).toBeDefined();
    });

    it('appends and makes the write together, and answers what the write returned', async () => {
      const streamId = `bet-${randomUUID()}`;
      await db.pool.query(`INSERT INTO held_keys (key, holder) VALUES ($1, 'me')`, [streamId]);

      const result = await appendAsMe(streamId, 'no_stream', 'b20');

      expect(result.written).toEqual({ key_done: [{ key: streamId, holder: 'me' }] });
      expect(await sut.readStream(db.pool, streamId)).toHaveLength(1);
      expect(await keyRow(streamId)).toEqual([{ holder: 'me', done: true }]);
    });

    it('appends nothing and writes nothing when the guard is held by someone else', async () => {
      const streamId = `bet-${randomUUID()}`;
      await sut.append(db.pool, streamId, 'no_stream', [betSettled('b21')], context);
      await db.pool.query(`INSERT INTO held_keys (key, holder) VALUES ($1, 'someone-else')`, [streamId]);
      const before = await outboxRows();

      await expect(appendAsMe(streamId, 1, 'b21')).rejects.toBeInstanceOf(GuardNotHeldError);

      expect(await sut.readStream(db.pool, streamId)).toHaveLength(1);
      expect(await outboxRows()).toBe(before);
      expect(await keyRow(streamId)).toEqual([{ holder: 'someone-else', done: false }]);
    });

    it('makes no write when the version is lost, though the guard is held', async () => {
      const streamId = `bet-${randomUUID()}`;
      await sut.append(db.pool, streamId, 'no_stream', [betSettled('b22'), betSettled('b22')], context);
      await db.pool.query(`INSERT INTO held_keys (key, holder) VALUES ($1, 'me')`, [streamId]);

      await expect(appendAsMe(streamId, 1, 'b22')).rejects.toBeInstanceOf(StreamVersionConflictError);

      expect(await sut.readStream(db.pool, streamId)).toHaveLength(2);
      expect(await keyRow(streamId)).toEqual([{ holder: 'me', done: false }]);
    });

    it('without `held` needs only the version claim, and a later write reads an earlier one', async () => {
      // Delete the key when done, else mark it done: one of the two, as a lease's release deletes or updates.
      const deleteOrMark = (key: string): GuardedWrite => ({
        writes: {
          key_deleted: `DELETE FROM held_keys USING claimed WHERE key = $1 AND done RETURNING key`,
          key_marked: `UPDATE held_keys SET done = true FROM claimed
            WHERE key = $1 AND NOT EXISTS (SELECT 1 FROM key_deleted) RETURNING key`,
        },
        parameters: [key],
      });
      const [done, open] = [`bet-${randomUUID()}`, `bet-${randomUUID()}`];
      await db.pool.query(
        `INSERT INTO held_keys (key, holder, done) VALUES ($1, 'x', true), ($2, 'x', false)`,
        [done, open],
      );
      const appendTo = (streamId: string) =>
        sut.appendToStream(
          db.pool,
          streamId,
          'no_stream',
          [betSettled('b24')],
          context,
          undefined,
          deleteOrMark(streamId),
        );

      expect((await appendTo(done)).written).toEqual({ key_deleted: [{ key: done }], key_marked: [] });
      expect((await appendTo(open)).written).toEqual({ key_deleted: [], key_marked: [{ key: open }] });
      expect(await keyRow(done)).toEqual([]);
      expect(await keyRow(open)).toEqual([{ holder: 'x', done: true }]);
      await expect(appendTo(open)).rejects.toBeInstanceOf(StreamVersionConflictError);
    });

    it('numbers its parameters after a projection row', async () => {
      await db.pool.query(
        'CREATE TABLE IF NOT EXISTS bet_status (bet_id text PRIMARY KEY, status text NOT NULL, updated_at timestamptz)',
      );
      const streamId = `bet-${randomUUID()}`;
      await db.pool.query(`INSERT INTO held_keys (key, holder) VALUES ($1, 'me')`, [streamId]);

      await sut.appendToStream(
        db.pool,
        streamId,
        'no_stream',
        [betSettled('b23')],
        context,
        { table: 'bet_status', key: ['bet_id'], values: { bet_id: streamId, status: 'placed' } },
        doneBy('me', streamId),
      );

      expect(await keyRow(streamId)).toEqual([{ holder: 'me', done: true }]);
      const status = await db.pool.query('SELECT status FROM bet_status WHERE bet_id = $1', [streamId]);
      expect(status.rows).toEqual([{ status: 'placed' }]);
    });
  });

  it('refuses an event whose id is already stored', async () => {
    const eventId = randomUUID();
    await sut.append(
      db.pool,
      `bet-${randomUUID()}`,
      'no_stream',
      [{ ...betSettled('b5'), eventId }],
      context,
    );

    await expect(
      sut.append(db.pool, `bet-${randomUUID()}`, 'no_stream', [{ ...betSettled('b5'), eventId }], context),
    ).rejects.toBeInstanceOf(StreamVersionConflictError);
  });

  it.each([
    'UPDATE events SET event_type = $1',
    'DELETE FROM events WHERE event_type = $1',
    'TRUNCATE events',
  ])('lets the database refuse %s on stored events', async (statement) => {
    await sut.append(db.pool, `bet-${randomUUID()}`, 'no_stream', [betSettled('b6')], context);

    await expect(db.pool.query(statement, statement.includes('$1') ? ['bet.settled'] : [])).rejects.toThrow(
      /append-only/,
    );
  });

  it('writes outbox rows for publishable events in the same transaction, and none when it rolls back', async () => {
    const committed = `bet-${randomUUID()}`;
    const rolledBack = `bet-${randomUUID()}`;
    const internal = { type: 'saga.step_recorded', data: { step: 'debit' } };

    await sut.append(db.pool, committed, 'no_stream', [betSettled('b7'), internal], context);
    await expect(
      withTransaction(db.pool, async (tx) => {
        await sut.appendToStream(tx, rolledBack, 'no_stream', [betSettled('b8')], context);
        throw new Error('effect failed');
      }),
    ).rejects.toThrow('effect failed');

    const outbox = await db.pool.query(
      `SELECT o.topic, o.message_key, o.envelope, o.headers FROM outbox o JOIN events e USING (event_id) WHERE e.stream_id = ANY($1)`,
      [[committed, rolledBack]],
    );
    expect(outbox.rows).toHaveLength(1);
    expect(outbox.rows[0]).toMatchObject({
      topic: 'rgs.settlements.v1',
      message_key: 'tenant-a:player-1',
      envelope: {
        event_type: 'bet.settled',
        tenant_id: 'tenant-a',
        region: 'eu-test',
        payload: { bet_id: 'b7' },
      },
      headers: { event_type: 'bet.settled', traceparent: context.traceparent },
    });
    expect(await sut.readStream(db.pool, rolledBack)).toEqual([]);
  });

  it('refuses an event its topic schema would refuse, storing nothing', async () => {
    const streamId = `bet-${randomUUID()}`;
    const floatAmount = {
      type: 'bet.settled',
      data: { bet_id: 'b9', win: { minor_units: 1.5, currency: 'EUR' }, wallet_transaction_id: null },
    };

    await expect(sut.append(db.pool, streamId, 'no_stream', [floatAmount], context)).rejects.toBeInstanceOf(
      EventContractError,
    );
    expect(await sut.readStream(db.pool, streamId)).toEqual([]);
  });
});
