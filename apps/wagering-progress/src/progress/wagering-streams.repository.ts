import { Injectable } from '@nestjs/common';

import {
  type EventContext,
  type ExpectedVersion,
  PostgresEventStore,
  type Transaction,
} from '@pitboss/event-store';
import {
  evolveWagering,
  initialWageringState,
  type WageringEvent,
  type WageringState,
  wageringStreamId,
} from '@pitboss/wagering-domain';

import { projectWagering } from './wagering.projection';

type Queryable = Parameters<PostgresEventStore['readStream']>[0];

export interface LoadedWagering {
  readonly state: WageringState;
  readonly version: ExpectedVersion;
  readonly events: readonly WageringEvent[];
}

/**
 * Each grant's wagering stream in the event store. An append projects its events into `wagering_grants` and
 * `wagering_contributions` in the same transaction, and the store queues the public ones (promo.wagering.v1)
 * in the outbox: progress, its receipts and its events commit together or not at all.
 */
@Injectable()
export class WageringStreamsRepository {
  constructor(private readonly store: PostgresEventStore) {}

  async load(db: Queryable, tenantId: string, grantId: string): Promise<LoadedWagering> {
    const stored = await this.store.readStream(db, wageringStreamId(tenantId, grantId));
    const events = stored.map((event) => ({ type: event.type, data: event.data }) as WageringEvent);
    return {
      state: events.reduce(evolveWagering, initialWageringState()),
      version: stored.at(-1)?.streamVersion ?? 'no_stream',
      events,
    };
  }

  async append(
    tx: Transaction,
    tenantId: string,
    loaded: LoadedWagering,
    events: readonly WageringEvent[],
    context: EventContext,
  ): Promise<WageringState> {
    if (events.length === 0) return loaded.state;
    const state = events.reduce(evolveWagering, loaded.state);
    const grantId = state.terms?.grantId;
    if (grantId === undefined) throw new Error('a wagering stream starts with wagering.started');
    await this.store.appendToStream(tx, wageringStreamId(tenantId, grantId), loaded.version, events, context);
    await projectWagering(tx, tenantId, state, events);
    return state;
  }
}
