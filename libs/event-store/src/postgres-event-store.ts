import { randomUUID } from 'node:crypto';

import { type Pool, type QueryResultRow } from 'pg';

import { activeTraceparent, traceIdOf } from '@pitboss/observability';

import { withTransaction, type Transaction } from './database';
import {
  type EventContext,
  type ExpectedVersion,
  type NewEvent,
  type StoredEvent,
  type StoredEventMetadata,
} from './events';
import { GuardNotHeldError, type GuardedWrite, renumbered } from './guarded-write';
import { outboxColumnsOf, outboxRowsOf } from './outbox-writer';
import { type ProjectionRow, projectionUpsertOf } from './projection-row';
import { StreamVersionConflictError } from './stream-version-conflict.error';
import { type WriteInRead, WRITTEN_COLUMN, writtenBy, writtenWith } from './write-in-read';

type Queryable = Pick<Pool, 'query'> | Transaction;

export interface AppendResult {
  readonly nextExpectedVersion: number;
  readonly events: readonly StoredEvent[];
  /** What each of a guarded write's `writes` returned, by name (empty without one). */
  readonly written: Readonly<Record<string, readonly QueryResultRow[]>>;
}

/** How a stream's events fold into state: the `evolve` of a pure domain module. */
export interface StreamProjection<TState, TEvent extends StoredEvent> {
  readonly initialState: () => TState;
  readonly evolve: (state: TState, event: TEvent) => TState;
}

const UNIQUE_VIOLATION = '23505';
/** How many parameters the append statement itself takes: a projection's are numbered after them. */
const APPEND_PARAMETERS = 15;
// $1 stream id, $2 the version after the append, $3 the version expected before it (0 for a new stream).
// `guard` adds the condition of a guarded write (its `held` CTE has a row).
const claimNewStream = (guard: string) =>
  `INSERT INTO streams (stream_id, version) SELECT $1, $2 WHERE $3::int = 0${guard} ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id`;
const claimNextVersion = (guard: string) =>
  `UPDATE streams SET version = $2, updated_at = now() WHERE stream_id = $1 AND version = $3${guard} RETURNING stream_id`;
const HELD = ' AND EXISTS (SELECT 1 FROM held)';

/**
 * Streams of events in one service schema. Appends take the caller's transaction, so state changes, their
 * events, their outbox rows and anything else the caller records commit together or not at all.
 */
export class PostgresEventStore {
  constructor(private readonly options: { readonly region: string }) {}

  /**
   * Appends `events` if the stream is still at `expectedVersion`, else throws StreamVersionConflictError.
   * The version check and the claim of the new version are one statement on the `streams` row, so two
   * writers at the same version cannot both succeed and no version is ever skipped. The claim, the events and
   * their outbox rows are ONE statement (one round trip): the events and outbox inserts read the claim's
   * result, so a lost claim writes nothing. So does `projection`, a read-model row the append keeps up to date,
   * and `guarded`, a write that also needs a row it locks (see GuardedWrite). `db` is the caller's transaction,
   * or a pool for an append that is all its caller writes: one statement needs no transaction.
   */
  async appendToStream(
    db: Queryable,
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    context: EventContext,
    projection?: ProjectionRow,
    guarded?: GuardedWrite,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const current = expectedVersion === 'no_stream' ? 0 : expectedVersion;
    const next = current + events.length;
    const metadata = this.metadataOf(context);
    const rows = events.map((event, index) => {
      const data = JSON.stringify(event.data);
      // The envelope is made from the data as the database will return it (JSON, as jsonb round-trips it).
      const pending = {
        eventId: event.eventId ?? randomUUID(),
        type: event.type,
        data: JSON.parse(data) as unknown,
        eventVersion: event.eventVersion ?? 1,
        occurredAt: event.occurredAt ?? new Date(),
        metadata,
      };
      return { pending, data, streamVersion: current + index + 1 };
    });
    // Before any write: an event its topic's schema refuses throws here and nothing is stored.
    const outbox = outboxRowsOf(rows.map((row) => row.pending));
    const upsert = projection && projectionUpsertOf(projection, APPEND_PARAMETERS + 1);
    const guardOffset = APPEND_PARAMETERS + (upsert?.parameters.length ?? 0);
    const held = guarded?.held && renumbered(guarded.held, guardOffset);
    const writes = Object.entries(guarded?.writes ?? {});
    const guard = held ? HELD : '';
    try {
      const result = await db.query(
        `WITH ${held ? `held AS (${held}), ` : ''}
         claimed AS (${expectedVersion === 'no_stream' ? claimNewStream(guard) : claimNextVersion(guard)}),
         appended AS (
           INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, data, metadata, occurred_at)
           SELECT claimed.stream_id, version, id, type, event_version, data, $4, occurred_at
             FROM claimed,
                  unnest($5::int[], $6::uuid[], $7::text[], $8::int[], $9::jsonb[], $10::timestamptz[])
                    AS batch(version, id, type, event_version, data, occurred_at)
           RETURNING ${EVENT_COLUMNS}
         ),
         queued AS (
           INSERT INTO outbox (event_id, topic, message_key, envelope, headers)
           SELECT id, topic, message_key, envelope, headers
             FROM claimed, unnest($11::uuid[], $12::text[], $13::text[], $14::jsonb[], $15::jsonb[])
                    AS publishable(id, topic, message_key, envelope, headers)
         )${upsert ? `, projected AS (${upsert.sql})` : ''}${writes
           .map(([name, sql]) => `, ${name} AS (${renumbered(sql, guardOffset)})`)
           .join('')}
         ${
           guarded
             ? guardedResultOf(
                 held !== undefined,
                 writes.map(([name]) => name),
               )
             : `SELECT ${EVENT_COLUMNS} FROM appended`
         }`,
        [
          streamId,
          next,
          current,
          JSON.stringify(metadata),
          rows.map((row) => row.streamVersion),
          rows.map((row) => row.pending.eventId),
          rows.map((row) => row.pending.type),
          rows.map((row) => row.pending.eventVersion),
          rows.map((row) => row.data),
          rows.map((row) => row.pending.occurredAt),
          ...outboxColumnsOf(outbox),
          ...(upsert?.parameters ?? []),
          ...(guarded?.parameters ?? []),
        ],
      );
      const first = result.rows[0];
      if (held && first?.['held'] === false) throw new GuardNotHeldError(streamId);
      const appended = guarded ? result.rows.filter((row) => row['event_id'] !== null) : result.rows;
      if (appended.length !== events.length) throw new StreamVersionConflictError(streamId, expectedVersion);
      const inserted = appended.map(toStoredEvent).sort((a, b) => a.streamVersion - b.streamVersion);
      // The names are the code's constants (GuardedWrite), the columns of the guarded result.
      const written = Object.fromEntries(
        // eslint-disable-next-line security/detect-object-injection -- a write's constant name, not input
        writes.map(([name]) => [name, (first?.[name] as QueryResultRow[]) ?? []]),
      );
      return { nextExpectedVersion: next, events: inserted, written };
    } catch (error) {
      // A supplied event_id that is already stored: the same business fact appended twice.
      if ((error as { code?: string }).code === UNIQUE_VIOLATION)
        throw new StreamVersionConflictError(streamId, expectedVersion);
      throw error;
    }
  }

  /** Opens a transaction for a single append: for callers that record nothing else with it. */
  async append(
    pool: Pool,
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    context: EventContext,
  ): Promise<AppendResult> {
    return withTransaction(pool, (tx) => this.appendToStream(tx, streamId, expectedVersion, events, context));
  }

  async readStream(db: Queryable, streamId: string): Promise<StoredEvent[]> {
    const result = await db.query(`${SELECT_EVENTS} WHERE stream_id = $1 ORDER BY stream_version`, [
      streamId,
    ]);
    return result.rows.map(toStoredEvent);
  }

  /** Reads the stream and makes `write` in the same statement (see WriteInRead); its rows come back in `written`. */
  async readStreamWith(
    db: Queryable,
    streamId: string,
    write: WriteInRead,
  ): Promise<{ events: StoredEvent[]; written: QueryResultRow[] }> {
    const result = await db.query(
      `${writtenWith(write, 1)}
       SELECT ${EVENT_COLUMNS}, ${WRITTEN_COLUMN}
         FROM (VALUES (1)) AS one LEFT JOIN events ON stream_id = $1
        ORDER BY stream_version`,
      [streamId, ...write.parameters],
    );
    const events = result.rows.filter((row) => row['event_id'] !== null).map(toStoredEvent);
    return { events, written: writtenBy(result.rows) };
  }

  /** Several streams in one query (one round trip, one transaction when autocommitted), each in version order. */
  async readStreams(db: Queryable, streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const result = await db.query(
      `${SELECT_EVENTS} WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`,
      [streamIds],
    );
    const streams = new Map(streamIds.map((id) => [id, [] as StoredEvent[]]));
    for (const row of result.rows) streams.get(row['stream_id'])?.push(toStoredEvent(row));
    return streams;
  }

  /** Events by global position, `from` exclusive and `to` inclusive (bigint positions as strings). */
  async readAll(db: Queryable, range: { from: string; to: string; limit: number }): Promise<StoredEvent[]> {
    const result = await db.query(
      `${SELECT_EVENTS} WHERE global_position > $1 AND global_position <= $2 ORDER BY global_position LIMIT $3`,
      [range.from, range.to, range.limit],
    );
    return result.rows.map(toStoredEvent);
  }

  /** Folds a stream into state; `version` is what the next append must expect. */
  async aggregateStream<TState, TEvent extends StoredEvent>(
    db: Queryable,
    streamId: string,
    projection: StreamProjection<TState, TEvent>,
  ): Promise<{ state: TState; version: ExpectedVersion }> {
    const events = (await this.readStream(db, streamId)) as TEvent[];
    const state = events.reduce(projection.evolve, projection.initialState());
    return { state, version: events.length === 0 ? 'no_stream' : (events.at(-1) as TEvent).streamVersion };
  }

  private metadataOf(context: EventContext): StoredEventMetadata {
    // The span doing the append (the request's, a consumer's, a saga step's) is the parent the relay's publish
    // span hangs off; the caller's traceparent is the fallback when tracing is off.
    const traceparent = activeTraceparent() ?? context.traceparent ?? null;
    return {
      tenant_id: context.tenantId,
      region: this.options.region,
      player_id: context.playerId ?? null,
      session_id: context.sessionId ?? null,
      round_id: context.roundId ?? null,
      trace_id: traceIdOf(traceparent ?? undefined) ?? null,
      traceparent,
      causation_id: context.causationId ?? null,
      idempotency_key: context.idempotencyKey ?? null,
    };
  }
}

export async function readStream(db: Queryable, streamId: string): Promise<StoredEvent[]> {
  const result = await db.query(`${SELECT_EVENTS} WHERE stream_id = $1 ORDER BY stream_version`, [streamId]);
  return result.rows.map(toStoredEvent);
}

/** Events by global position, `from` exclusive and `to` inclusive (bigint positions as strings). */
export async function readEventsBetween(
  db: Queryable,
  range: { from: string; to: string; limit: number },
): Promise<StoredEvent[]> {
  const result = await db.query(
    `${SELECT_EVENTS} WHERE global_position > $1 AND global_position <= $2 ORDER BY global_position LIMIT $3`,
    [range.from, range.to, range.limit],
  );
  return result.rows.map(toStoredEvent);
}

const EVENT_COLUMNS =
  'global_position, stream_id, stream_version, event_id, event_type, event_version, data, metadata, occurred_at';
const SELECT_EVENTS = `SELECT ${EVENT_COLUMNS} FROM events`;
/**
 * A guarded append answers one row even when it appended nothing, so a lost guard is told from a lost version,
 * with what each write returned as a JSON array. The event columns are named, not `appended.*`: a `*` result
 * keeps the statement from being prepared (PreparedStatementClient), and this one is long to plan.
 */
function guardedResultOf(held: boolean, writes: readonly string[]): string {
  const columns = [
    ...EVENT_COLUMNS.split(', ').map((column) => `appended.${column}`),
    ...(held ? ['EXISTS (SELECT 1 FROM held) AS held'] : []),
    ...writes.map((name) => `(SELECT json_agg(w) FROM ${name} w) AS ${name}`),
  ];
  return `SELECT ${columns.join(', ')} FROM (VALUES (1)) AS one LEFT JOIN appended ON true`;
}

function toStoredEvent(row: QueryResultRow): StoredEvent {
  return {
    type: row['event_type'],
    data: row['data'],
    eventId: row['event_id'],
    eventVersion: row['event_version'],
    occurredAt: row['occurred_at'],
    streamId: row['stream_id'],
    streamVersion: row['stream_version'],
    globalPosition: row['global_position'],
    metadata: row['metadata'],
  };
}
