import { Inject, Injectable, Logger } from '@nestjs/common';

import {
  type BetAuthorized,
  type EventEnvelope,
  type RollbackRequested,
  type SettlementRequested,
  TOPICS,
} from '@pitboss/contracts';
import { type EventContext, type Transaction } from '@pitboss/event-store';
import { type ConsumedEventContext, NonRetryableError } from '@pitboss/messaging';
import { PostgresSagaTimers, type SagaSubject } from '@pitboss/saga';
import {
  type BetFacts,
  decideRollback,
  decideSettlement,
  rollbackDueAt,
  rolledBackFacts,
  SettlementError,
  settlementDueAt,
  type SettlementState,
} from '@pitboss/settlement-domain';

import { BetFactsRepository } from './bet-facts.repository';
import { BetSagasRepository } from './bet-sagas.repository';
import { SettleMetrics } from './settle-metrics';
import { SettleTimersService } from './settle-timers.service';
import { SETTLE_WORKER_CONFIG, type SettleWorkerConfig } from './settle-worker.config';
import { creditsZeroWin } from './zero-win-credit.setting';

export const SETTLE_WORKER_CONSUMER = 'settle-worker';

/**
 * `rgs.rounds.v1` → saga starts. Never calls the wallet: it records the saga's start and its due timer in the
 * transaction of the inbox row, so a redelivered event changes nothing and a recorded saga always has a timer.
 * `bet.authorized` only records the bet's game, stake and math version for its settlement (bet_facts); it comes
 * first, as both events have the player's key and so one partition. Other event types are acknowledged (and kept
 * in the inbox for diagnostics) without effect.
 */
@Injectable()
export class RoundEventsHandler {
  readonly topic = TOPICS.rounds.name;
  private readonly logger = new Logger(RoundEventsHandler.name);
  private readonly timers = new PostgresSagaTimers();

  constructor(
    private readonly sagas: BetSagasRepository,
    private readonly bets: BetFactsRepository,
    private readonly metrics: SettleMetrics,
    @Inject(SETTLE_WORKER_CONFIG) private readonly config: SettleWorkerConfig,
    private readonly timerLoop: SettleTimersService,
  ) {}

  /**
   * Records the event's effect in `tx`, the transaction of its inbox row (the consumer transport owns both);
   * returns what to do once that transaction has committed.
   */
  async handle(
    tx: Transaction,
    envelope: EventEnvelope,
    consumed: ConsumedEventContext,
  ): Promise<() => void> {
    try {
      return await this.record(tx, envelope, consumed);
    } catch (error) {
      // A request the saga can never accept (a negative amount) goes to the DLQ at once, not after retries.
      if (error instanceof SettlementError) throw new NonRetryableError(error.message, { cause: error });
      throw error;
    }
  }

  private async record(
    tx: Transaction,
    envelope: EventEnvelope,
    consumed: ConsumedEventContext,
  ): Promise<() => void> {
    let dueAt: Date | null = null;
    let credited: SettlementState | null = null;
    if (envelope.event_type === 'bet.authorized')
      await this.recordBet(tx, envelope as EventEnvelope<unknown> as EventEnvelope<BetAuthorized>);
    else if (envelope.event_type === 'settlement.requested') {
      const started = await this.startSettlement(
        tx,
        envelope as EventEnvelope<unknown> as EventEnvelope<SettlementRequested>,
        consumed,
      );
      dueAt = started.dueAt;
      credited = started.credited;
    } else if (envelope.event_type === 'rollback.requested')
      dueAt = await this.startRollback(
        tx,
        envelope as EventEnvelope<unknown> as EventEnvelope<RollbackRequested>,
        consumed,
      );
    return () => {
      // Committed: the timer loop of this replica steps the saga now rather than at its next poll.
      if (dueAt !== null) this.timerLoop.notifyDue(dueAt);
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
   * Records the saga's start; returns when its timer is due (null when nothing was scheduled) and the state when
   * the start settled the bet at once (a zero win of a wallet that takes no zero credit).
   */
  private async startSettlement(
    tx: Transaction,
    envelope: EventEnvelope<SettlementRequested>,
    consumed: ConsumedEventContext,
  ): Promise<{ dueAt: Date | null; credited: SettlementState | null }> {
    const subject = subjectOf(envelope);
    const saga = await this.sagas.loadSettlement(tx, subject);
    const now = new Date();
    const bet = saga.state.status === 'none' ? await this.bets.take(tx, subject) : null;
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
    if (events.length === 0) return { dueAt: null, credited: null };
    if (events.some((event) => event.type === 'settlement.request_conflicted')) {
      this.metrics.alert('conflicting_settlement');
      this.logger.warn(
        `bet ${subject.tenantId}/${subject.subjectId}: settlement.requested ${envelope.event_id} conflicts with the one being settled`,
      );
    }
    const { state } = await this.sagas.appendSettlement(
      tx,
      subject,
      { ...saga, context: saga.context ?? contextOf(envelope, consumed) },
      events,
    );
    const dueAt = settlementDueAt(state, now);
    if (dueAt) await this.timers.schedule(tx, subject, dueAt);
    // Only this start's own transition counts: a conflicting request leaves a credited saga credited.
    const creditedNow = state.status === 'credited' && saga.state.status !== 'credited';
    return { dueAt: dueAt ?? null, credited: creditedNow ? state : null };
  }

  private async startRollback(
    tx: Transaction,
    envelope: EventEnvelope<RollbackRequested>,
    consumed: ConsumedEventContext,
  ): Promise<Date | null> {
    const subject = subjectOf(envelope);
    const saga = await this.sagas.loadRollback(tx, subject);
    const now = new Date();
    // A rolled-back bet is never settled (the gateway refuses it): its facts are not needed any more.
    await this.bets.take(tx, subject);
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
    const dueAt = rollbackDueAt(state, now);
    if (dueAt) await this.timers.schedule(tx, subject, dueAt);
    return dueAt ?? null;
  }
}

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
