import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import { type BetEvent, type BetState, evolveBet, initialBetState } from '@pitboss/betting-domain';
import {
  DATABASE_POOL,
  type EventContext,
  PostgresEventStore,
  type StoredEvent,
  StreamVersionConflictError,
  type Transaction,
  withTransaction,
} from '@pitboss/event-store';

export interface LoadedBet {
  readonly state: BetState;
  readonly version: number;
  readonly history: readonly StoredEvent[];
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

/** Per-request facts every event of the request carries (trace, causation, idempotency key). */
export type RequestContext = Pick<EventContext, 'traceparent' | 'causationId' | 'idempotencyKey'>;

/** How often a command decides again after another request appended to the same bet first. */
export const MAX_CONFLICT_RETRIES = 5;

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
    const history = await this.eventStore.readStream(db, streamIdOf(tenantId, betId));
    const state = history.map(asBetEvent).reduce(evolveBet, initialBetState());
    return { state, version: history.length, history };
  }

  /**
   * Loads the bet, asks `decide` for new events and appends them at the version it saw; when another request
   * appended first, decides again on the newer state. Returns the bet after the append. `known` (what an earlier
   * append of the same request returned) saves the first read: an append since then fails on its version, and the
   * retry reads the stream.
   */
  async decideAndAppend(
    tenantId: string,
    betId: string,
    decide: Decide,
    context: RequestContext,
    known?: KnownBet,
  ): Promise<KnownBet> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withTransaction(this.pool, async (tx) =>
          this.append(
            tx,
            tenantId,
            betId,
            attempt === 1 && known ? known : await this.load(tenantId, betId, tx),
            decide,
            context,
          ),
        );
      } catch (error) {
        if (!(error instanceof StreamVersionConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }

  /** One attempt inside the caller's transaction (e.g. with an inbox row); a conflict is the caller's to retry. */
  async decideAndAppendIn(
    tx: Transaction,
    tenantId: string,
    betId: string,
    decide: Decide,
    context: RequestContext,
  ): Promise<BetState> {
    const loaded = await this.load(tenantId, betId, tx);
    return (await this.append(tx, tenantId, betId, loaded, decide, context)).state;
  }

  private async append(
    tx: Transaction,
    tenantId: string,
    betId: string,
    { state, version }: KnownBet,
    decide: Decide,
    context: RequestContext,
  ): Promise<KnownBet> {
    const events = await decide(state, tx);
    if (events.length === 0) return { state, version };
    const next = events.reduce(evolveBet, state);
    const terms = next.terms;
    await this.eventStore.appendToStream(
      tx,
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
    );
    return { state: next, version: version + events.length };
  }
}

export function streamIdOf(tenantId: string, betId: string): string {
  return `bet:${tenantId}:${betId}`;
}

function asBetEvent(event: StoredEvent): BetEvent {
  return { type: event.type, data: event.data } as BetEvent;
}
