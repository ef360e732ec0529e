import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Pool } from 'pg';

import { type Span } from '@opentelemetry/api';

import {
  DATABASE_POOL,
  StreamVersionConflictError,
  type Transaction,
  withTransaction,
} from '@pitboss/event-store';
import { failSpan, startSpan, withActiveSpan } from '@pitboss/observability';
import { type SagaStep, type SagaStepLease, type SagaSubject } from '@pitboss/saga';
import {
  decideRollback,
  decideSettlement,
  evolveSettlement,
  type SettlementEvent,
  type SettlementState,
} from '@pitboss/settlement-domain';
import { type WalletClient, walletClientConfig, walletKeys } from '@pitboss/wallet-client';

import { type BetSagas, dueSagaOf, nextDueOf } from './bet-sagas-due';
import { BetSagasRepository, type LoadedSaga, noRollback } from './bet-sagas.repository';
import { SettleMetrics } from './settle-metrics';
import { SETTLE_WORKER_CONFIG, type SettleWorkerConfig } from './settle-worker.config';
import { WALLET_CLIENT } from './wallet-client.provider';

/**
 * One timer firing for one bet: at most one wallet call, for whichever of the bet's sagas is due first.
 * The sagas are read and the attempt recorded in one transaction, committed before the call; the outcome is
 * recorded after it, in one statement with the end of the lease. A crash in between leaves an unfinished
 * attempt, which the next claim resumes with the same idempotency key. The bet's lease (held by the timer loop) makes this the only wallet call in flight for the bet
 * across all replicas.
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
    // Each step is a span of the bet's trace (the saga's stored traceparent: the handler that started it), so
    // the wallet call and the appends it makes join that trace although a timer, not a message, runs them. The
    // parent is only known once the sagas are read, inside the first transaction, and the span outlives it.
    let span: Span | undefined;
    return this.finish(
      lease,
      async () => {
        const begun = await withTransaction(this.pool, async (tx) => {
          const sagas = await this.sagas.loadBoth(tx, lease);
          const due = dueSagaOf(sagas, now);
          if (due === null) return { sagas, deferredUntil: null };
          if (due === 'rollback') {
            span = startSpan('rollback step', stepSpan(lease, sagas.rollback));
            return withActiveSpan(span, () => this.beginRollback(tx, lease, sagas, now));
          }
          span = startSpan('credit step', stepSpan(lease, sagas.settlement));
          return withActiveSpan(span, () => this.beginSettlement(tx, lease, sagas, now));
        });
        const { afterCommit } = begun;
        return afterCommit && span ? withActiveSpan(span, () => afterCommit(lease)) : begun;
      },
      () => span,
    );
  }

  /**
   * The first step of a settlement a consumer is starting in `tx` (`started`, the start's events, not yet
   * appended to `settlement`), under the lease it took there (`PostgresSagaTimers.scheduleLeased`): the start
   * and the credit attempt are appended together, so once `tx` commits the wallet call follows with no
   * transaction of its own before it. Answers that remainder, for the timer loop to adopt; null when no attempt
   * was recorded (the circuit is open: the start alone is), and the loop's own step decides then. No rollback of
   * the bet can be due: a rollback in progress has a timer, and the lease is only taken of a bet that had none.
   */
  async beginStarted(
    tx: Transaction,
    subject: SagaSubject,
    settlement: LoadedSaga<SettlementState>,
    started: readonly SettlementEvent[],
    now: Date,
  ): Promise<SagaStep | null> {
    const sagas = { settlement, rollback: noRollback() };
    const begun = await this.beginSettlement(tx, subject, sagas, now, started);
    const { afterCommit } = begun;
    if (!afterCommit) return null;
    return (lease) => {
      const span = startSpan('credit step', stepSpan(lease, begun.sagas.settlement));
      return this.finish(
        lease,
        () => withActiveSpan(span, () => afterCommit(lease)),
        () => span,
      );
    };
  }

  /** Runs a step's work and ends its span; answers when the bet is next due. */
  private async finish(
    lease: SagaStepLease,
    work: () => Promise<StepResult>,
    spanOf: () => Span | undefined,
  ): Promise<Date | null> {
    let step: StepResult;
    try {
      step = await work();
    } catch (error) {
      const span = spanOf();
      if (span) failSpan(span, error);
      // Another holder recorded first (this replica's lease had expired): its record stands, re-read below.
      if (!(error instanceof StreamVersionConflictError)) throw error;
      this.logger.warn(`bet ${lease.tenantId}/${lease.subjectId}: ${error.message}`);
      step = { sagas: await this.sagas.loadBoth(this.pool, lease), deferredUntil: null };
    } finally {
      spanOf()?.end();
    }
    // From the sagas in hand: what a consumer appended meanwhile bumped the timer's generation, and the release
    // then makes the bet due at once whatever this answers.
    const { sagas, deferredUntil } = step;
    const next = nextDueOf(sagas.settlement.state, sagas.rollback.state, new Date());
    if (next === null || deferredUntil === null) return next;
    return new Date(Math.max(next.getTime(), deferredUntil.getTime()));
  }

  /** While the circuit is open a due step waits for the trial call, but a settlement not past its deadline. */
  private deferral(now: Date, deadlineAt: Date | null): Date {
    const recheck = now.getTime() + this.circuitRecheckMs;
    return new Date(deadlineAt ? Math.min(recheck, deadlineAt.getTime()) : recheck);
  }

  /**
   * Records the credit attempt in the step's first transaction, after `started` (a start decided in the same
   * transaction, not yet appended) in the same append; the call and its outcome follow its commit.
   */
  private async beginSettlement(
    tx: Transaction,
    subject: SagaSubject,
    sagas: BetSagas,
    now: Date,
    started: readonly SettlementEvent[] = [],
  ): Promise<BegunStep> {
    const walletAvailable = this.wallet.breaker.state !== 'open';
    const { settlement } = sagas;
    const state = started.reduce(evolveSettlement, settlement.state);
    const begin = decideSettlement({ type: 'BeginCreditAttempt', now, walletAvailable }, state);
    if (begin.length === 0) {
      const recorded =
        started.length === 0
          ? sagas
          : { ...sagas, settlement: await this.sagas.appendSettlement(tx, subject, settlement, started) };
      return {
        sagas: recorded,
        deferredUntil: walletAvailable ? null : this.deferral(now, state.deadlineAt),
      };
    }
    const attempting = await this.sagas.appendSettlement(tx, subject, settlement, [...started, ...begin]);
    const recorded = { ...sagas, settlement: attempting };
    if (attempting.state.status === 'compensated')
      return {
        sagas: recorded,
        deferredUntil: null,
        afterCommit: async () => {
          this.compensated(subject, attempting.state);
          return { sagas: recorded, deferredUntil: null };
        },
      };
    return { sagas: recorded, deferredUntil: null, afterCommit: (lease) => this.credit(lease, recorded) };
  }

  private async credit(subject: SagaStepLease, sagas: BetSagas): Promise<StepResult> {
    const { settlement: attempting, rollback } = sagas;
    const context = attempting.context;
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
    // The lease ends with the outcome, in its statement (the timer loop then releases nothing itself).
    const settled = await this.sagas.appendSettlement(this.pool, subject, attempting, events, {
      lease: subject,
      nextDueAt: (state) => nextDueOf(state, rollback.state, new Date()),
    });
    const { state } = settled;
    // The append expected the version it read: only one replica records the outcome, so this counts once.
    if (state.status === 'credited') this.metrics.credited(subject.tenantId, state, recordedAt);
    if (state.status === 'compensated') this.compensated(subject, state);
    return { sagas: { ...sagas, settlement: settled }, deferredUntil: null };
  }

  private compensated(subject: SagaSubject, state: SettlementState): void {
    const rejected = state.compensationReason?.startsWith('CREDIT_REJECTED') ?? false;
    this.metrics.alert(rejected ? 'credit_rejected' : 'credit_budget_exhausted');
    this.logger.error(
      `bet ${subject.tenantId}/${subject.subjectId}: settlement compensated (${state.compensationReason}); ` +
        `win ${state.win?.minor_units} ${state.win?.currency} must be paid out by operations`,
    );
  }

  /** Records the rollback attempt in the step's first transaction; the call and its outcome follow its commit. */
  private async beginRollback(
    tx: Transaction,
    subject: SagaSubject,
    sagas: BetSagas,
    now: Date,
  ): Promise<BegunStep> {
    const walletAvailable = this.wallet.breaker.state !== 'open';
    const begin = decideRollback(
      { type: 'BeginRollbackAttempt', now, walletAvailable },
      sagas.rollback.state,
    );
    if (begin.length === 0)
      return { sagas, deferredUntil: walletAvailable ? null : this.deferral(now, null) };
    const attempting = await this.sagas.appendRollback(tx, subject, sagas.rollback, begin);
    const recorded = { ...sagas, rollback: attempting };
    return { sagas: recorded, deferredUntil: null, afterCommit: (lease) => this.rollBack(lease, recorded) };
  }

  private async rollBack(subject: SagaStepLease, sagas: BetSagas): Promise<StepResult> {
    const { rollback: attempting, settlement } = sagas;
    const context = attempting.context;
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
    const rolledBack = await this.sagas.appendRollback(this.pool, subject, attempting, events, {
      lease: subject,
      nextDueAt: (state) => nextDueOf(settlement.state, state, new Date()),
    });
    const { state } = rolledBack;
    if (state.status === 'failed' && outcome.kind === 'rejected') {
      this.metrics.alert('rollback_refused');
      this.logger.error(
        `bet ${subject.tenantId}/${subject.subjectId}: the wallet refused the rollback (${outcome.code}: ${outcome.message}); ` +
          `stake ${state.amount?.minor_units} ${state.amount?.currency} was not returned`,
      );
    }
    return { sagas: { ...sagas, rollback: rolledBack }, deferredUntil: null };
  }
}

/** What a step leaves: the bet's sagas as recorded, and a time the bet must not be due before (circuit open), or null. */
interface StepResult {
  readonly sagas: BetSagas;
  readonly deferredUntil: Date | null;
}

/**
 * A step after its first transaction: what remains to run once that transaction committed (the wallet call),
 * under the lease that ends with its outcome.
 */
interface BegunStep extends StepResult {
  readonly afterCommit?: (lease: SagaStepLease) => Promise<StepResult>;
}

function stepSpan(subject: SagaSubject, saga: LoadedSaga<unknown>) {
  return {
    parent: saga.context?.traceparent ?? null,
    attributes: { 'pitboss.tenant_id': subject.tenantId, 'pitboss.bet_id': subject.subjectId },
  };
}
