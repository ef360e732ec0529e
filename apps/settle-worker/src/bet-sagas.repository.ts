import { Injectable } from '@nestjs/common';
import { type QueryResultRow } from 'pg';

import {
  type AppendResult,
  type EventContext,
  type ExpectedVersion,
  type NewEvent,
  PostgresEventStore,
  type StoredEvent,
  type WriteInRead,
} from '@pitboss/event-store';
import { sagaStateRow, type SagaStepLease, type SagaSubject } from '@pitboss/saga';
import {
  evolveRollback,
  evolveSettlement,
  initialRollbackState,
  initialSettlementState,
  type RollbackEvent,
  type RollbackState,
  rollbackStreamId,
  type SettlementEvent,
  type SettlementState,
  settlementStreamId,
} from '@pitboss/settlement-domain';
import { walletKeys } from '@pitboss/wallet-client';

type Queryable = Parameters<PostgresEventStore['readStream']>[0];

export type SagaKind = 'settlement' | 'rollback';

/** A saga folded from its stream, with what its next append must expect and the envelope it carries on. */
export interface LoadedSaga<TState> {
  readonly state: TState;
  readonly version: ExpectedVersion;
  /** From the saga's first event: the requested event's tenant, player, session, round, trace and id. */
  readonly context: EventContext | null;
}

/**
 * A step's outcome that ends its lease: the append releases it in its own statement (`SagaStepLease.releaseWrite`),
 * with the next due time `nextDueAt` gives for the saga as appended. The loop's release then costs nothing.
 */
export interface LeaseEnding<TState> {
  readonly lease: SagaStepLease;
  readonly nextDueAt: (state: TState) => Date | null;
}

/**
 * The two sagas of a bet as event-sourced streams in settle-worker's store. Each append also records the
 * saga's state in `saga_instances`, in the append's own statement (metrics, diagnostics).
 */
@Injectable()
export class BetSagasRepository {
  constructor(private readonly store: PostgresEventStore) {}

  /** The bet's settlement saga, read by the statement that also makes `write` (see `readStreamWith`). */
  async loadSettlement(
    db: Queryable,
    subject: SagaSubject,
    write: WriteInRead,
  ): Promise<{ saga: LoadedSaga<SettlementState>; written: QueryResultRow[] }> {
    const streamId = settlementStreamId(subject.tenantId, subject.subjectId);
    const { events, written } = await this.store.readStreamWith(db, streamId, write);
    return { saga: settlementSaga(events), written };
  }

  /** Both sagas of the bet in one query (a timer step reads both). */
  async loadBoth(
    db: Queryable,
    subject: SagaSubject,
  ): Promise<{ settlement: LoadedSaga<SettlementState>; rollback: LoadedSaga<RollbackState> }> {
    const settlementId = settlementStreamId(subject.tenantId, subject.subjectId);
    const rollbackId = rollbackStreamId(subject.tenantId, subject.subjectId);
    const streams = await this.store.readStreams(db, [settlementId, rollbackId]);
    return {
      settlement: settlementSaga(streams.get(settlementId) ?? []),
      rollback: rollbackSaga(streams.get(rollbackId) ?? []),
    };
  }

  /** The bet's rollback saga, read as `loadSettlement` reads the settlement. */
  async loadRollback(
    db: Queryable,
    subject: SagaSubject,
    write: WriteInRead,
  ): Promise<{ saga: LoadedSaga<RollbackState>; written: QueryResultRow[] }> {
    const streamId = rollbackStreamId(subject.tenantId, subject.subjectId);
    const { events, written } = await this.store.readStreamWith(db, streamId, write);
    return { saga: rollbackSaga(events), written };
  }

  /**
   * Appends to the bet's settlement saga: in the caller's transaction, or with `ending` on the pool, as one
   * statement that also ends the step's lease (see LeaseEnding).
   */
  async appendSettlement(
    db: Queryable,
    subject: SagaSubject,
    saga: LoadedSaga<SettlementState>,
    events: readonly SettlementEvent[],
    ending?: LeaseEnding<SettlementState>,
  ): Promise<LoadedSaga<SettlementState>> {
    const streamId = settlementStreamId(subject.tenantId, subject.subjectId);
    const key = walletKeys.credit(subject.tenantId, subject.subjectId);
    const state = events.reduce(evolveSettlement, saga.state);
    return this.append(db, 'settlement', subject, saga, { streamId, key, events, state }, ending);
  }

  /** Appends to the bet's rollback saga, as `appendSettlement` does. */
  async appendRollback(
    db: Queryable,
    subject: SagaSubject,
    saga: LoadedSaga<RollbackState>,
    events: readonly RollbackEvent[],
    ending?: LeaseEnding<RollbackState>,
  ): Promise<LoadedSaga<RollbackState>> {
    const streamId = rollbackStreamId(subject.tenantId, subject.subjectId);
    const key = walletKeys.rollback(subject.tenantId, subject.subjectId);
    const state = events.reduce(evolveRollback, saga.state);
    return this.append(db, 'rollback', subject, saga, { streamId, key, events, state }, ending);
  }

  private async append<TState extends { readonly status: string }>(
    db: Queryable,
    kind: SagaKind,
    subject: SagaSubject,
    saga: LoadedSaga<TState>,
    change: { streamId: string; key: string; events: readonly NewEvent[]; state: TState },
    ending?: LeaseEnding<TState>,
  ): Promise<LoadedSaga<TState>> {
    const { streamId, key, events, state } = change;
    const context = { ...this.contextOf(saga, subject), idempotencyKey: key };
    const release = ending?.lease.releaseWrite(ending.nextDueAt(state));
    const result = await this.store.appendToStream(
      db,
      streamId,
      saga.version,
      events,
      context,
      sagaStateRow(kind, subject, state.status),
      release,
    );
    ending?.lease.releasedBy(result.written);
    return appended(saga, state, result);
  }

  private contextOf(saga: LoadedSaga<unknown>, subject: SagaSubject): EventContext {
    return saga.context ?? { tenantId: subject.tenantId };
  }
}

/** A bet's rollback saga when none was started (or none can be due: see `BetStepRunner.beginStarted`). */
export function noRollback(): LoadedSaga<RollbackState> {
  return rollbackSaga([]);
}

function settlementSaga(events: readonly StoredEvent[]): LoadedSaga<SettlementState> {
  return loaded(
    events,
    (state, event) => evolveSettlement(state, event as unknown as SettlementEvent),
    initialSettlementState(),
  );
}

function rollbackSaga(events: readonly StoredEvent[]): LoadedSaga<RollbackState> {
  return loaded(
    events,
    (state, event) => evolveRollback(state, event as unknown as RollbackEvent),
    initialRollbackState(),
  );
}

/**
 * The saga as it stands after the append: no need to read it again. A new stream's context is its first event's
 * as stored (the store puts the appending span's traceparent there), so a step that goes on from it in memory
 * parents its span and its wallet call as a step that read the stream would.
 */
function appended<TState>(
  saga: LoadedSaga<unknown>,
  state: TState,
  result: AppendResult,
): LoadedSaga<TState> {
  const [first] = result.events;
  const context = saga.version === 'no_stream' && first ? contextOfStored(first) : saga.context;
  return { state, version: result.nextExpectedVersion, context };
}

function loaded<TState>(
  events: readonly StoredEvent[],
  evolve: (state: TState, event: StoredEvent) => TState,
  initial: TState,
): LoadedSaga<TState> {
  const first = events[0];
  return {
    state: events.reduce(evolve, initial),
    version: events.length === 0 ? 'no_stream' : (events.at(-1) as StoredEvent).streamVersion,
    context: first ? contextOfStored(first) : null,
  };
}

function contextOfStored(event: StoredEvent): EventContext {
  const { metadata } = event;
  return {
    tenantId: metadata.tenant_id,
    playerId: metadata.player_id,
    sessionId: metadata.session_id,
    roundId: metadata.round_id,
    traceparent: metadata.traceparent,
    causationId: metadata.causation_id,
  };
}
