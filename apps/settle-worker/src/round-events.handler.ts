import { Inject, Injectable, Logger } from '@nestjs/common';

import {
  type BetAuthorized,
  type EventEnvelope,
  type RollbackRequested,
  type SettlementRequested,
  TOPICS,
} from '@pitboss/contracts';
import { type EventContext, type Transaction } from '@pitboss/event-store';
import { type ConsumedEventContext, NonRetryableError, type UnitOfWork } from '@pitboss/messaging';
import { PostgresSagaTimers, type SagaStep, type SagaSubject, type ScheduledLease } from '@pitboss/saga';
import {
  type BetFacts,
  decideRollback,
  decideSettlement,
  evolveSettlement,
  rollbackDueAt,
  rolledBackFacts,
  SettlementError,
  settlementDueAt,
  type SettlementState,
} from '@pitboss/settlement-domain';

import { BetFactsRepository } from './bet-facts.repository';
import { BetSagasRepository } from './bet-sagas.repository';
import { BetStepRunner } from './bet-step.runner';
import { SettleMetrics } from './settle-metrics';
import { SettleTimersService } from './settle-timers.service';
import { SETTLE_WORKER_CONFIG, type SettleWorkerConfig } from './settle-worker.config';
import { creditsZeroWin } from './zero-win-credit.setting';

export const SETTLE_WORKER_CONSUMER = 'settle-worker';

/**
 * `rgs.rounds.v1` → saga starts. Never calls the wallet: it records the saga's start and its due timer in the
 * transaction of the inbox row, so a redelivered event changes nothing and a recorded saga always has a timer.
 * A saga due at once while this replica's timer loop has a free slot is leased in that transaction too, and a
 * settlement's credit attempt recorded there: once committed the loop makes the call, with no claim and no
 * transaction of its own before it (a commit each). `bet.authorized` only records the bet's game, stake and
 * math version for its settlement (bet_facts); it comes first, as both events have the player's key and so one
 * partition. Other event types are acknowledged (and kept in the inbox for diagnostics) without effect.
 */
@Injectable()
export class RoundEventsHandler {
  readonly topic = TOPICS.rounds.name;
  private readonly logger = new Logger(RoundEventsHandler.name);
  private readonly timers = new PostgresSagaTimers();
  /** Leases each consumer transaction took (`schedule`); a unit of work is one transaction, forgotten with it. */
  private readonly leasesTaken = new WeakMap<UnitOfWork<Transaction>, number>();

  constructor(
    private readonly sagas: BetSagasRepository,
    private readonly bets: BetFactsRepository,
    private readonly metrics: SettleMetrics,
    @Inject(SETTLE_WORKER_CONFIG) private readonly config: SettleWorkerConfig,
    private readonly timerLoop: SettleTimersService,
    private readonly steps: BetStepRunner,
  ) {}

  /**
   * Records the event's effect in the transaction of its inbox row (`unit`: the consumer transport owns both), and
   * what to do once that transaction has committed.
   */
  async handle(
    unit: UnitOfWork<Transaction>,
    envelope: EventEnvelope,
    consumed: ConsumedEventContext,
  ): Promise<void> {
    try {
      unit.afterCommit(await this.record(unit, envelope, consumed));
    } catch (error) {
      // A request the saga can never accept (a negative amount) goes to the DLQ at once, not after retries.
      if (error instanceof SettlementError) throw new NonRetryableError(error.message, { cause: error });
      throw error;
    }
  }

  private async record(
    unit: UnitOfWork<Transaction>,
    envelope: EventEnvelope,
    consumed: ConsumedEventContext,
  ): Promise<() => void> {
    const { tx } = unit;
    let scheduled: Scheduled = null;
    let credited: SettlementState | null = null;
    if (envelope.event_type === 'bet.authorized')
      await this.recordBet(tx, envelope as EventEnvelope<unknown> as EventEnvelope<BetAuthorized>);
    else if (envelope.event_type === 'settlement.requested') {
      const started = await this.startSettlement(
        unit,
        envelope as EventEnvelope<unknown> as EventEnvelope<SettlementRequested>,
        consumed,
      );
      scheduled = started.scheduled;
      credited = started.credited;
    } else if (envelope.event_type === 'rollback.requested')
      scheduled = await this.startRollback(
        unit,
        envelope as EventEnvelope<unknown> as EventEnvelope<RollbackRequested>,
        consumed,
      );
    return () => {
      // Committed: the timer loop of this replica steps the saga now (its lease taken here, or claimed then)
      // rather than at its next poll.
      if (scheduled instanceof Date) this.timerLoop.notifyDue(scheduled);
      else if (scheduled) this.timerLoop.adopt(scheduled.lease, scheduled.step);
      // Counted once committed, so a transaction rolled back and redelivered does not count the bet twice.
      if (credited !== null) this.metrics.credited(envelope.tenant_id, credited, new Date());
    };
  }

  private async recordBet(tx: Transaction, envelope: EventEnvelope<BetAuthorized>): Promise<void> {
    const { game_id, amount, math_version } = envelope.payload;
    await this.bets.record(tx, subjectOf(envelope), {
      gameId: game_id,
      stake: amount,
      mathVersion: math_version,
    });
  }

  /**
   * Records the saga's start; returns its timer (null when nothing was scheduled) and the state when the start
   * settled the bet at once (a zero win of a wallet that takes no zero credit).
   */
  private async startSettlement(
    unit: UnitOfWork<Transaction>,
    envelope: EventEnvelope<SettlementRequested>,
    consumed: ConsumedEventContext,
  ): Promise<{ scheduled: Scheduled; credited: SettlementState | null }> {
    const { tx } = unit;
    const subject = subjectOf(envelope);
    // The facts are taken by the saga's read: a started saga took them already, so there are none left to take.
    const { saga, written } = await this.sagas.loadSettlement(tx, subject, this.bets.take(subject));
    const now = new Date();
    const bet = saga.state.status === 'none' ? this.bets.takenFrom(written) : null;
    const events = decideSettlement(
      {
        type: 'StartSettlement',
        betId: envelope.payload.bet_id,
        win: envelope.payload.win,
        bet,
        facts: requestedFacts(envelope.payload),
        mathVersion: envelope.payload.math_version,
        requestedEventId: envelope.event_id,
        requestedAt: new Date(envelope.occurred_at),
        now,
        budgetMs: this.config.creditBudgetMs,
        creditZeroWin: creditsZeroWin(this.config.zeroWinCredit, envelope.tenant_id),
        // Absent on a request stored or decoded before the field existed: those were all cash.
        winCredit: envelope.payload.win_credit ?? 'cash',
      },
      saga.state,
    );
    if (events.length === 0) return { scheduled: null, credited: null };
    if (events.some((event) => event.type === 'settlement.request_conflicted')) {
      this.metrics.alert('conflicting_settlement');
      this.logger.warn(
        `bet ${subject.tenantId}/${subject.subjectId}: settlement.requested ${envelope.event_id} conflicts with the one being settled`,
      );
    }
    const starting = { ...saga, context: saga.context ?? contextOf(envelope, consumed) };
    const state = events.reduce(evolveSettlement, saga.state);
    let scheduled = await this.schedule(unit, subject, settlementDueAt(state, now), now);
    if (scheduled === null || scheduled instanceof Date)
      await this.sagas.appendSettlement(tx, subject, starting, events);
    else {
      // Leased here: the credit attempt is appended with the start, and the step goes on from it once committed.
      const step = await this.steps.beginStarted(tx, subject, starting, events, now);
      if (step) scheduled = { ...scheduled, step };
    }
    // Only this start's own transition counts: a conflicting request leaves a credited saga credited.
    const creditedNow = state.status === 'credited' && saga.state.status !== 'credited';
    return { scheduled, credited: creditedNow ? state : null };
  }

  private async startRollback(
    unit: UnitOfWork<Transaction>,
    envelope: EventEnvelope<RollbackRequested>,
    consumed: ConsumedEventContext,
  ): Promise<Scheduled> {
    const { tx } = unit;
    const subject = subjectOf(envelope);
    // A rolled-back bet is never settled (the gateway refuses it): its facts are not needed any more.
    const { saga } = await this.sagas.loadRollback(tx, subject, this.bets.take(subject));
    const now = new Date();
    const events = decideRollback(
      {
        type: 'StartRollback',
        betId: envelope.payload.bet_id,
        amount: envelope.payload.amount,
        reason: envelope.payload.reason,
        requestedBy: envelope.payload.requested_by,
        facts: rolledBackFacts(requestedFacts({ ...envelope.payload, stake: null })),
        requestedEventId: envelope.event_id,
        requestedAt: new Date(envelope.occurred_at),
        now,
      },
      saga.state,
    );
    if (events.length === 0) return null;
    const { state } = await this.sagas.appendRollback(
      tx,
      subject,
      { ...saga, context: contextOf(envelope, consumed) },
      events,
    );
    return this.schedule(unit, subject, rollbackDueAt(state, now), now);
  }

  /**
   * The saga's timer, in the unit's transaction. A saga due now, while this replica has a slot for its step, is
   * leased there too, so the step runs once the transaction commits without a claim (a commit) of its own; the
   * leases the same transaction took already count against the slots.
   */
  private async schedule(
    unit: UnitOfWork<Transaction>,
    subject: SagaSubject,
    dueAt: Date | null | undefined,
    now: Date,
  ): Promise<Scheduled> {
    if (!dueAt) return null;
    const leasedInUnit = this.leasesTaken.get(unit) ?? 0;
    if (dueAt <= now && this.timerLoop.hasFreeSlots(leasedInUnit)) {
      const lease = await this.timers.scheduleLeased(unit.tx, subject, dueAt, this.config.leaseMs);
      if (lease) {
        this.leasesTaken.set(unit, leasedInUnit + 1);
        return { lease };
      }
      return dueAt;
    }
    await this.timers.schedule(unit.tx, subject, dueAt);
    return dueAt;
  }
}

/**
 * What a start left to do once committed: step the saga under the lease it took (going on from the attempt it
 * recorded, when `step` is set), or announce when it is due.
 */
type Scheduled = { readonly lease: ScheduledLease; readonly step?: SagaStep } | Date | null;

/**
 * The bet's facts as bet-gateway put them on the request. A field the request lacks (one published before the
 * gateway sent them, decoded with the schema's defaults or read from an older stored row) reads as null.
 */
function requestedFacts(payload: Partial<BetFacts>): BetFacts {
  return {
    stake: payload.stake ?? null,
    game_id: payload.game_id ?? null,
    game_type: payload.game_type ?? null,
    provider: payload.provider ?? null,
    bonus_grant_id: payload.bonus_grant_id ?? null,
    entitlement_id: payload.entitlement_id ?? null,
    funded_by: payload.funded_by ?? null,
    math_version: payload.math_version ?? null,
  };
}

function subjectOf(envelope: EventEnvelope<{ bet_id: string }>): SagaSubject {
  return { tenantId: envelope.tenant_id, subjectId: envelope.payload.bet_id };
}

/** The envelope every event of the saga carries: the requested event's, caused by it. */
function contextOf(envelope: EventEnvelope<unknown>, consumed: ConsumedEventContext): EventContext {
  return {
    tenantId: envelope.tenant_id,
    playerId: envelope.player_id,
    sessionId: envelope.session_id,
    roundId: envelope.round_id,
    traceparent: consumed.headers['traceparent'] ?? null,
    causationId: envelope.event_id,
  };
}
