import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Pool } from 'pg';

import { DATABASE_POOL, StreamVersionConflictError, withTransaction } from '@pitboss/event-store';
import { inSpan } from '@pitboss/observability';
import { type SagaStepLease, type SagaSubject } from '@pitboss/saga';
import {
  decideRollback,
  decideSettlement,
  rollbackDueAt,
  type RollbackState,
  settlementDueAt,
  type SettlementState,
} from '@pitboss/settlement-domain';
import { type WalletClient, walletClientConfig, walletKeys } from '@pitboss/wallet-client';

import { BetSagasRepository, type LoadedSaga } from './bet-sagas.repository';
import { SettleMetrics } from './settle-metrics';
import { SETTLE_WORKER_CONFIG, type SettleWorkerConfig } from './settle-worker.config';
import { WALLET_CLIENT } from './wallet-client.provider';

/**
 * One timer firing for one bet: at most one wallet call, for whichever of the bet's sagas is due first.
 * Each attempt is recorded before the call (its own transaction) and its outcome after it; a crash in between
 * leaves an unfinished attempt, which the next claim resumes with the same idempotency key. The bet's lease
 * (held by the timer loop) makes this the only wallet call in flight for the bet across all replicas.
 */
@Injectable()
export class BetStepRunner {
  private readonly logger = new Logger(BetStepRunner.name);
  /** While the circuit is open, due steps look again after its cooldown (when the trial call may go out). */
  private readonly circuitRecheckMs = walletClientConfig().breakerCooldownMs;

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly sagas: BetSagasRepository,
    private readonly metrics: SettleMetrics,
    @Inject(WALLET_CLIENT) private readonly wallet: WalletClient,
    @Inject(SETTLE_WORKER_CONFIG) private readonly config: SettleWorkerConfig,
  ) {}

  /** Resolves to when the bet is next due, or null when both its sagas are final. */
  async run(lease: SagaStepLease): Promise<Date | null> {
    const now = new Date();
    let [settlement, rollback] = await this.loadSagas(lease);
    const settlementDue = settlementDueAt(settlement.state, now);
    const rollbackDue = rollbackDueAt(rollback.state, now);
    let deferredUntil: Date | null = null;
    try {
      // A stake owed back goes first: a rollback is never given up, so it must not wait behind a credit.
      // Each step is a span of the bet's trace (the saga's stored traceparent: the handler that started it), so
      // the wallet call and the appends it makes join that trace although a timer, not a message, runs them.
      if (rollbackDue && rollbackDue <= now)
        ({ saga: rollback, deferredUntil } = await inSpan('rollback step', stepSpan(lease, rollback), () =>
          this.stepRollback(lease, rollback, settlement.state, now),
        ));
      else if (settlementDue && settlementDue <= now)
        ({ saga: settlement, deferredUntil } = await inSpan('credit step', stepSpan(lease, settlement), () =>
          this.stepSettlement(lease, settlement, rollback.state, now),
        ));
    } catch (error) {
      // Another holder recorded first (this replica's lease had expired): its record stands, re-read below.
      if (!(error instanceof StreamVersionConflictError)) throw error;
      this.logger.warn(`bet ${lease.tenantId}/${lease.subjectId}: ${error.message}`);
      [settlement, rollback] = await this.loadSagas(lease);
    }
    // From the sagas in hand: what a consumer appended meanwhile bumped the timer's generation, and the release
    // then makes the bet due at once whatever this answers.
    const next = nextDueOf(settlement.state, rollback.state, new Date());
    if (next === null || deferredUntil === null) return next;
    return new Date(Math.max(next.getTime(), deferredUntil.getTime()));
  }

  private async loadSagas(
    subject: SagaSubject,
  ): Promise<[LoadedSaga<SettlementState>, LoadedSaga<RollbackState>]> {
    const { settlement, rollback } = await this.sagas.loadBoth(this.pool, subject);
    return [settlement, rollback];
  }

  /** While the circuit is open a due step waits for the trial call, but a settlement not past its deadline. */
  private deferral(now: Date, deadlineAt: Date | null): Date {
    const recheck = now.getTime() + this.circuitRecheckMs;
    return new Date(deadlineAt ? Math.min(recheck, deadlineAt.getTime()) : recheck);
  }

  /** The saga after the step, and a time the bet must not be due before (circuit open), or null. */
  private async stepSettlement(
    subject: SagaStepLease,
    saga: LoadedSaga<SettlementState>,
    rollback: RollbackState,
    now: Date,
  ): Promise<StepResult<SettlementState>> {
    const walletAvailable = this.wallet.breaker.state !== 'open';
    const begin = decideSettlement({ type: 'BeginCreditAttempt', now, walletAvailable }, saga.state);
    if (begin.length === 0)
      return { saga, deferredUntil: walletAvailable ? null : this.deferral(now, saga.state.deadlineAt) };
    const attempting = await withTransaction(this.pool, (tx) =>
      this.sagas.appendSettlement(tx, subject, saga, begin),
    );
    if (attempting.state.status === 'compensated') {
      this.compensated(subject, attempting.state);
      return { saga: attempting, deferredUntil: null };
    }

    const context = saga.context;
    const outcome = await this.wallet.wallet.credit({
      tenantId: subject.tenantId,
      playerId: context?.playerId ?? '',
      transactionId: walletKeys.credit(subject.tenantId, subject.subjectId),
      amount: attempting.state.win!,
      betId: subject.subjectId,
      roundId: context?.roundId ?? undefined,
      traceparent: context?.traceparent ?? undefined,
    });

    // The lease makes this the only writer of the saga's outcome: it is decided on the saga as appended above
    // (a stale version would fail the append, not overwrite).
    const recordedAt = new Date();
    const events = decideSettlement(
      {
        type: 'RecordCreditOutcome',
        outcome: outcome,
        now: recordedAt,
        retry: this.config.retry,
        random: Math.random,
      },
      attempting.state,
    );
    // The lease ends with the outcome, in its transaction (the timer loop then releases nothing itself).
    const settled = await withTransaction(this.pool, async (tx) => {
      const appended = await this.sagas.appendSettlement(tx, subject, attempting, events);
      await subject.releaseIn(tx, nextDueOf(appended.state, rollback, new Date()));
      return appended;
    });
    const { state } = settled;
    // The append expected the version it read: only one replica records the outcome, so this counts once.
    if (state.status === 'credited') this.metrics.credited(subject.tenantId, state, recordedAt);
    if (state.status === 'compensated') this.compensated(subject, state);
    return { saga: settled, deferredUntil: null };
  }

  private compensated(subject: SagaSubject, state: SettlementState): void {
    const rejected = state.compensationReason?.startsWith('CREDIT_REJECTED') ?? false;
    this.metrics.alert(rejected ? 'credit_rejected' : 'credit_budget_exhausted');
    this.logger.error(
      `bet ${subject.tenantId}/${subject.subjectId}: settlement compensated (${state.compensationReason}); ` +
        `win ${state.win?.minor_units} ${state.win?.currency} must be paid out by operations`,
    );
  }

  private async stepRollback(
    subject: SagaStepLease,
    saga: LoadedSaga<RollbackState>,
    settlement: SettlementState,
    now: Date,
  ): Promise<StepResult<RollbackState>> {
    const walletAvailable = this.wallet.breaker.state !== 'open';
    const begin = decideRollback({ type: 'BeginRollbackAttempt', now, walletAvailable }, saga.state);
    if (begin.length === 0) return { saga, deferredUntil: walletAvailable ? null : this.deferral(now, null) };
    const attempting = await withTransaction(this.pool, (tx) =>
      this.sagas.appendRollback(tx, subject, saga, begin),
    );

    const context = saga.context;
    const outcome = await this.wallet.wallet.rollback({
      tenantId: subject.tenantId,
      playerId: context?.playerId ?? '',
      transactionId: walletKeys.rollback(subject.tenantId, subject.subjectId),
      originalTransactionId: walletKeys.debit(subject.tenantId, subject.subjectId),
      betId: subject.subjectId,
      roundId: context?.roundId ?? undefined,
      traceparent: context?.traceparent ?? undefined,
    });

    const events = decideRollback(
      {
        type: 'RecordRollbackOutcome',
        outcome: outcome,
        now: new Date(),
        retry: this.config.retry,
        random: Math.random,
      },
      attempting.state,
    );
    const rolledBack = await withTransaction(this.pool, async (tx) => {
      const appended = await this.sagas.appendRollback(tx, subject, attempting, events);
      await subject.releaseIn(tx, nextDueOf(settlement, appended.state, new Date()));
      return appended;
    });
    const { state } = rolledBack;
    if (state.status === 'failed' && outcome.kind === 'rejected') {
      this.metrics.alert('rollback_refused');
      this.logger.error(
        `bet ${subject.tenantId}/${subject.subjectId}: the wallet refused the rollback (${outcome.code}: ${outcome.message}); ` +
          `stake ${state.amount?.minor_units} ${state.amount?.currency} was not returned`,
      );
    }
    return { saga: rolledBack, deferredUntil: null };
  }
}

/** What a step leaves: its saga as appended, and a time the bet must not be due before (circuit open), or null. */
interface StepResult<TState> {
  readonly saga: LoadedSaga<TState>;
  readonly deferredUntil: Date | null;
}

/** The earlier of the two sagas' next due times; null when both are final. */
function nextDueOf(settlement: SettlementState, rollback: RollbackState, now: Date): Date | null {
  const dues = [settlementDueAt(settlement, now), rollbackDueAt(rollback, now)].filter(
    (due): due is Date => due !== null,
  );
  return dues.length === 0 ? null : new Date(Math.min(...dues.map((due) => due.getTime())));
}

function stepSpan(subject: SagaSubject, saga: LoadedSaga<unknown>) {
  return {
    parent: saga.context?.traceparent ?? null,
    attributes: { 'pitboss.tenant_id': subject.tenantId, 'pitboss.bet_id': subject.subjectId },
  };
}
