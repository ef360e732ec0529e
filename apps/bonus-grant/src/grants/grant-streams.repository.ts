import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import {
  evolveGrant,
  type GrantEvent,
  grantStreamId,
  type GrantState,
  initialGrantState,
} from '@pitboss/bonus-domain';
import {
  DATABASE_POOL,
  type EventContext,
  type ExpectedVersion,
  PostgresEventStore,
  type StoredEvent,
  type Transaction,
} from '@pitboss/event-store';
import { PostgresSagaTimers, sagaStateRow } from '@pitboss/saga';

type Queryable = Parameters<PostgresEventStore['readStream']>[0];

export interface LoadedGrant {
  readonly tenantId: string;
  readonly grantId: string;
  readonly state: GrantState;
  readonly version: ExpectedVersion;
  readonly context: EventContext | null;
}

/**
 * One event stream per grant in bonus-grant's store: every transition of the grant (issue, credit, conversion,
 * revoke, expiry) is an append at the version it was decided on, so concurrent deciders serialise and exactly
 * one terminal transition wins. Each append, in the same transaction, updates the `grants` index, the saga state
 * projection and the grant's durable timer.
 */
@Injectable()
export class GrantStreams {
  private readonly timers = new PostgresSagaTimers();

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly store: PostgresEventStore,
  ) {}

  async load(tenantId: string, grantId: string, db: Queryable = this.pool): Promise<LoadedGrant> {
    const events = await this.store.readStream(db, grantStreamId(tenantId, grantId));
    const state = events.reduce(
      (current, event) =>
        evolveGrant(current, event as unknown as GrantEvent, event.occurredAt.toISOString()),
      initialGrantState(),
    );
    const first = events[0];
    return {
      tenantId,
      grantId,
      state,
      version: events.length === 0 ? 'no_stream' : (events.at(-1) as StoredEvent).streamVersion,
      context: first ? contextOf(first) : null,
    };
  }

  /** Appends at the loaded version (StreamVersionConflictError when another decider got there first). */
  async append(
    tx: Transaction,
    grant: LoadedGrant,
    events: readonly GrantEvent[],
    context?: EventContext,
  ): Promise<GrantState> {
    const now = new Date();
    const state = events.reduce(
      (current, event) => evolveGrant(current, event, now.toISOString()),
      grant.state,
    );
    const subject = { tenantId: grant.tenantId, subjectId: grant.grantId };
    await this.store.appendToStream(
      tx,
      grantStreamId(grant.tenantId, grant.grantId),
      grant.version,
      events.map((event) => ({ type: event.type, data: event.data, occurredAt: now })),
      context ?? grant.context ?? { tenantId: grant.tenantId },
      sagaStateRow('grant', subject, state.status),
    );
    await this.index(tx, grant, state);
    if (state.due_at !== null) await this.timers.schedule(tx, subject, new Date(state.due_at));
    return state;
  }

  private async index(tx: Transaction, grant: LoadedGrant, state: GrantState): Promise<void> {
    const issued = state.grant;
    if (issued === null) return;
    if (grant.version === 'no_stream') {
      // The trigger's unique index refuses a second grant for the same (offer, trigger, ref): the caller maps it.
      await tx.query(
        `INSERT INTO grants (tenant_id, grant_id, player_id, offer_id, offer_version, trigger, trigger_ref,
           conflict_group, status, amount_minor_units, currency, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          grant.tenantId,
          grant.grantId,
          issued.player_id,
          issued.offer_id,
          issued.offer_version,
          issued.trigger,
          issued.trigger_ref,
          issued.conflict_group,
          state.status,
          issued.amount.minor_units,
          issued.amount.currency,
          issued.expires_at,
        ],
      );
      return;
    }
    await tx.query(
      'UPDATE grants SET status = $3, updated_at = now() WHERE tenant_id = $1 AND grant_id = $2',
      [grant.tenantId, grant.grantId, state.status],
    );
  }
}

function contextOf(event: StoredEvent): EventContext {
  const { metadata } = event;
  return {
    tenantId: metadata.tenant_id,
    playerId: metadata.player_id,
    traceparent: metadata.traceparent,
    causationId: metadata.causation_id,
  };
}
