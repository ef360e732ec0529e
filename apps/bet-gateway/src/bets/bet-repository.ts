import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type QueryResultRow } from 'pg';

import { type BetEvent, type BetState, evolveBet, initialBetState } from '@pitboss/betting-domain';
import {
  type AppendResult,
  DATABASE_POOL,
  type EventContext,
  type GuardedWrite,
  PostgresEventStore,
  type StoredEvent,
  type WriteInRead,
  StreamVersionConflictError,
  type Transaction,
  withTransaction,
} from '@pitboss/event-store';

export interface LoadedBet {
  readonly state: BetState;
  readonly version: number;
  readonly history: readonly StoredEvent[];
}

export interface BetRef {
  readonly tenantId: string;
  readonly betId: string;
}

/** A bet as an append of this request left it: the next append may expect its version without reading again. */
export interface KnownBet {
  readonly state: BetState;
  readonly version: number;
}

/**
 * A bet nobody has written yet: what an authorize expects. Its intent decides on it unread (`known`); a stream
 * that exists (a rollback that came first, the bet id reused under another key) fails the append on its version,
 * which rolls that attempt back, and the retry reads the stream and decides on what is there.
 */
export const NEW_BET: KnownBet = { state: initialBetState(), version: 0 };

/** The bet after a decision, with what a guarded write of its append wrote (undefined when none was made). */
export interface RecordedBet extends KnownBet {
  readonly written?: AppendResult['written'];
}

/**
 * A write a bet's read makes in its own statement (`PostgresEventStore.readStreamWith`), such as an idempotency
 * key's claim, and what takes its rows before the decision; `write` answers undefined when there is none to make.
 */
export interface ReadAlong {
  readonly write: () => WriteInRead | undefined;
  readonly readBy: (written: readonly QueryResultRow[]) => Promise<void>;
}

/** Per-request facts every event of the request carries (trace, causation, idempotency key). */
export type RequestContext = Pick<EventContext, 'traceparent' | 'causationId' | 'idempotencyKey'>;

/** How often a command decides again after another request appended to the same bet first. */
export const MAX_CONFLICT_RETRIES = 5;

/** Events decided on the bet at `version`, which leave it as `next`. */
interface BetAppend {
  readonly tenantId: string;
  readonly betId: string;
  readonly version: number;
  readonly events: readonly BetEvent[];
  readonly next: BetState;
  readonly context: RequestContext;
}

/** New events for the bet's state; may read more facts inside the append's transaction (`tx`). */
type Decide = (state: BetState, tx: Transaction) => BetEvent[] | Promise<BetEvent[]>;

/** A bet is one event stream; every append also updates the bet's row in `bet_index`, in the append's statement. */
@Injectable()
export class BetRepository {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(PostgresEventStore) private readonly eventStore: PostgresEventStore,
  ) {}

  async load(tenantId: string, betId: string, db: Pool | Transaction = this.pool): Promise<LoadedBet> {
    return loadedBetOf(await this.eventStore.readStream(db, streamIdOf(tenantId, betId)));
  }

  /** Several bets in one read, by `streamIdOf` (a bet not written yet as `NEW_BET`). */
  async loadAll(db: Pool | Transaction, bets: readonly BetRef[]): Promise<Map<string, KnownBet>> {
    const streams = await this.eventStore.readStreams(
      db,
      bets.map(({ tenantId, betId }) => streamIdOf(tenantId, betId)),
    );
    return new Map([...streams].map(([streamId, history]) => [streamId, loadedBetOf(history)]));
  }

  /**
   * Loads the bet, asks `decide` for new events and appends them at the version it saw; when another request
   * appended first, decides again on the newer state. Returns the bet after the append. `from` is what the
   * first attempt decides on: the bet as `known` (what an earlier append of the same request returned), which
   * saves the read (an append since then fails on its version, and the retry reads the stream); or every
   * attempt's read with a write in its statement (`ReadAlong`, the idempotency key's claim). `also` adds a guarded
   * write made from the bet after the events (the key's answer) to the append's statement; `written` is what it
   * wrote, undefined when nothing was appended.
   */
  async decideAndAppend(
    tenantId: string,
    betId: string,
    decide: Decide,
    context: RequestContext,
    from?: KnownBet | ReadAlong,
    also?: (next: BetState) => GuardedWrite,
  ): Promise<RecordedBet> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withTransaction(this.pool, async (tx) =>
          this.append(
            tx,
            tenantId,
            betId,
            attempt === 1 && from && !isReadAlong(from)
              ? from
              : await this.loadAlong(tx, tenantId, betId, isReadAlong(from) ? from : undefined),
            decide,
            context,
            also,
          ),
        );
      } catch (error) {
        if (!(error instanceof StreamVersionConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }

  /** The bet, read in `tx` by the statement that also makes `along`'s write, if it has one. */
  private async loadAlong(
    tx: Transaction,
    tenantId: string,
    betId: string,
    along: ReadAlong | undefined,
  ): Promise<LoadedBet> {
    const write = along?.write();
    if (!along || !write) return this.load(tenantId, betId, tx);
    const { events, written } = await this.eventStore.readStreamWith(tx, streamIdOf(tenantId, betId), write);
    await along.readBy(written);
    return loadedBetOf(events);
  }

  /**
   * For a decision on the bet alone whose only other write is `also`'s (a guarded write made from the bet after
   * the events, such as the idempotency key's answer): each attempt is one statement on the pool, with no
   * transaction around it. The first decides on `known`, unread; a version lost to another append reads the
   * stream (autocommitted: the append checks the version anyway) and decides again. `written` is what `also`
   * wrote, undefined when the decision had no events and nothing was appended or written.
   */
  async decideAndAppendAlone(
    tenantId: string,
    betId: string,
    decide: (state: BetState) => BetEvent[],
    context: RequestContext,
    known: KnownBet,
    also: (next: BetState) => GuardedWrite,
  ): Promise<RecordedBet> {
    for (let attempt = 1; ; attempt++) {
      try {
        const bet = attempt === 1 ? known : await this.load(tenantId, betId);
        const events = decide(bet.state);
        if (events.length === 0) return bet;
        const next = events.reduce(evolveBet, bet.state);
        const append = { tenantId, betId, version: bet.version, events, next, context };
        const { written } = await this.appendEvents(this.pool, append, also(next));
        return { state: next, version: bet.version + events.length, written };
      } catch (error) {
        if (!(error instanceof StreamVersionConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }

  /**
   * One attempt inside the caller's transaction (e.g. with an inbox row); a conflict is the caller's to retry.
   * `known` (the bet as read in this transaction, `loadAll`) saves the read.
   */
  async decideAndAppendIn(
    tx: Transaction,
    tenantId: string,
    betId: string,
    decide: Decide,
    context: RequestContext,
    known?: KnownBet,
  ): Promise<KnownBet> {
    const bet = known ?? (await this.load(tenantId, betId, tx));
    return this.append(tx, tenantId, betId, bet, decide, context);
  }

  private async append(
    tx: Transaction,
    tenantId: string,
    betId: string,
    { state, version }: KnownBet,
    decide: Decide,
    context: RequestContext,
    also?: (next: BetState) => GuardedWrite,
  ): Promise<RecordedBet> {
    const events = await decide(state, tx);
    if (events.length === 0) return { state, version };
    const next = events.reduce(evolveBet, state);
    const append = { tenantId, betId, version, events, next, context };
    const { written } = await this.appendEvents(tx, append, also?.(next));
    return { state: next, version: version + events.length, ...(also ? { written } : {}) };
  }

  /** The events at `version`, with the bet's `bet_index` row as `next` has it (and `guarded`'s write). */
  private appendEvents(
    db: Pool | Transaction,
    { tenantId, betId, version, events, next, context }: BetAppend,
    guarded?: GuardedWrite,
  ): Promise<AppendResult> {
    const terms = next.terms;
    return this.eventStore.appendToStream(
      db,
      streamIdOf(tenantId, betId),
      version === 0 ? 'no_stream' : version,
      events,
      {
        ...context,
        tenantId,
        playerId: terms?.player_id ?? null,
        sessionId: terms?.session_id ?? null,
        roundId: terms?.round_id ?? null,
      },
      {
        table: 'bet_index',
        key: ['tenant_id', 'bet_id'],
        values: {
          tenant_id: tenantId,
          bet_id: betId,
          round_id: terms?.round_id ?? null,
          player_id: terms?.player_id ?? null,
          status: next.status,
        },
      },
      guarded,
    );
  }
}

export function streamIdOf(tenantId: string, betId: string): string {
  return `bet:${tenantId}:${betId}`;
}

function isReadAlong(from: KnownBet | ReadAlong | undefined): from is ReadAlong {
  return from !== undefined && 'write' in from;
}

function loadedBetOf(history: StoredEvent[]): LoadedBet {
  const state = history.map(asBetEvent).reduce(evolveBet, initialBetState());
  return { state, version: history.length, history };
}

function asBetEvent(event: StoredEvent): BetEvent {
  return { type: event.type, data: event.data } as BetEvent;
}
