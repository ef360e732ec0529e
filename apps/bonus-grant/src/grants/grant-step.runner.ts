import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Pool } from 'pg';

import {
  decideGrant,
  grantDueAt,
  type GrantState,
  type GrantWalletOutcome,
  type WalletStep,
} from '@pitboss/bonus-domain';
import { DATABASE_POOL, StreamVersionConflictError, withTransaction } from '@pitboss/event-store';
import { type SagaTimerLease } from '@pitboss/saga';
import { type Money, type WalletClient, walletKeys, type WalletOutcome } from '@pitboss/wallet-client';

import { GrantMetrics } from './grant-metrics';
import { GrantStreams, type LoadedGrant } from './grant-streams.repository';
import { GRANT_WALLET } from './grant-wallet.provider';
import { GRANTS_CONFIG, type GrantsConfig } from './grants.config';

/**
 * One timer firing for one grant: an expiry that fell due, then at most one wallet call, recorded before (its own
 * transaction) and after. A crash in between leaves the attempt in flight; the next claim resumes it with the
 * same key, so the wallet moves the money once. The grant's lease makes this the only wallet call in flight for
 * the grant across replicas.
 */
@Injectable()
export class GrantStepRunner {
  private readonly logger = new Logger(GrantStepRunner.name);

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly streams: GrantStreams,
    private readonly metrics: GrantMetrics,
    @Inject(GRANT_WALLET) private readonly wallet: WalletClient,
    @Inject(GRANTS_CONFIG) private readonly config: GrantsConfig,
  ) {}

  /** Resolves to when the grant is next due, or null when nothing is left to do by time. */
  async run(lease: SagaTimerLease): Promise<Date | null> {
    try {
      await this.step(lease.tenantId, lease.subjectId);
    } catch (error) {
      // Another decider appended first (a revoke, a completion, an expired lease): its record stands.
      if (!(error instanceof StreamVersionConflictError)) throw error;
      this.logger.warn(`grant ${lease.tenantId}/${lease.subjectId}: ${error.message}`);
    }
    return grantDueAt((await this.streams.load(lease.tenantId, lease.subjectId)).state);
  }

  private async step(tenantId: string, grantId: string): Promise<void> {
    const now = new Date();
    let grant = await this.streams.load(tenantId, grantId);
    // A held conversion still expires: the expiry may end it like an active grant.
    if (grant.state.status === 'active' || grant.state.status === 'conversion_pending_approval') {
      const expiry = decideGrant({ type: 'StartEnding', ending: { kind: 'expiry' }, now }, grant.state);
      if (expiry.length === 0) return;
      await withTransaction(this.pool, (tx) => this.streams.append(tx, grant, expiry));
      grant = await this.streams.load(tenantId, grantId);
    }
    const begin = decideGrant({ type: 'BeginWalletCall', now }, grant.state);
    if (begin.length === 0) return;
    const step = grant.state.step as WalletStep;
    const attempting = await withTransaction(this.pool, (tx) => this.streams.append(tx, grant, begin));

    const outcome = await this.call(grant, attempting, step);

    const recordedAt = new Date();
    const reloaded = await this.streams.load(tenantId, grantId);
    const events = decideGrant(
      {
        type: 'RecordWalletOutcome',
        step,
        outcome,
        now: recordedAt,
        retry: this.config.retry,
        random: Math.random,
      },
      reloaded.state,
    );
    if (events.length === 0) return;
    const state = await withTransaction(this.pool, (tx) => this.streams.append(tx, reloaded, events));
    this.observe(tenantId, reloaded.state, state, recordedAt, step, outcome);
    if (outcome.kind === 'ok') this.observeMoney(tenantId, reloaded.state, step, outcome);
  }

  /** The money of a step the wallet did (recorded once: a replayed outcome finds the step done and adds nothing). */
  private observeMoney(
    tenantId: string,
    state: GrantState,
    step: WalletStep,
    outcome: Extract<GrantWalletOutcome, { kind: 'ok' }>,
  ): void {
    const issued = state.grant;
    if (issued === null) return;
    const moved = (movement: Parameters<GrantMetrics['moved']>[2], amount: Money | undefined) => {
      if (amount !== undefined && amount.minor_units > 0)
        this.metrics.moved(tenantId, issued.offer_id, movement, amount);
    };
    switch (step) {
      case 'credit':
        return moved('credited', issued.amount);
      case 'credit_reversal':
        return moved('credit_reversed', outcome.status === 'rolled_back' ? issued.amount : undefined);
      case 'convert':
        return moved('converted', outcome.converted);
      case 'forfeit':
        return moved('forfeited', outcome.forfeited);
    }
  }

  private async call(grant: LoadedGrant, state: GrantState, step: WalletStep): Promise<GrantWalletOutcome> {
    const issued = state.grant!;
    const common = {
      tenantId: grant.tenantId,
      playerId: issued.player_id,
      traceparent: grant.context?.traceparent ?? undefined,
    };
    switch (step) {
      case 'credit':
        return outcomeOf(
          await this.wallet.wallet.credit({
            ...common,
            transactionId: walletKeys.grantCredit(grant.tenantId, grant.grantId),
            amount: issued.amount,
            grantId: grant.grantId,
            balance: issued.credit_balance,
          }),
        );
      case 'credit_reversal':
        return outcomeOf(
          await this.wallet.wallet.rollback({
            ...common,
            transactionId: walletKeys.grantCreditReversal(grant.tenantId, grant.grantId),
            originalTransactionId: walletKeys.grantCredit(grant.tenantId, grant.grantId),
          }),
        );
      case 'convert':
        return outcomeOf(
          await this.wallet.wallet.convert({
            ...common,
            transactionId: walletKeys.convert(grant.tenantId, grant.grantId),
            grantId: grant.grantId,
            ...(issued.max_win === null ? {} : { maxAmount: issued.max_win }),
          }),
        );
      case 'forfeit':
        return outcomeOf(
          await this.wallet.wallet.forfeit({
            ...common,
            transactionId: walletKeys.forfeit(grant.tenantId, grant.grantId),
            grantId: grant.grantId,
          }),
        );
    }
  }

  private observe(
    tenantId: string,
    before: GrantState,
    after: GrantState,
    at: Date,
    step: WalletStep,
    outcome: GrantWalletOutcome,
  ): void {
    if (after.status === before.status) return;
    if (after.status === 'active') this.metrics.credited(tenantId, before.issued_at, at);
    else this.metrics.transition(tenantId, after.status);
    if (after.status === 'failed' && outcome.kind === 'rejected')
      this.logger.error(
        `grant ${tenantId}/${before.grant?.grant_id}: the wallet refused the ${step} (${outcome.code}: ${outcome.message}); operations must resolve it`,
      );
  }
}

function outcomeOf(outcome: WalletOutcome<object>): GrantWalletOutcome {
  switch (outcome.kind) {
    case 'ok': {
      const value = outcome.value as {
        transactionId: string;
        converted?: Money;
        forfeited?: Money;
        status?: 'rolled_back' | 'not_found';
      };
      return {
        kind: 'ok',
        transactionId: value.transactionId,
        ...(value.converted ? { converted: value.converted } : {}),
        ...(value.forfeited ? { forfeited: value.forfeited } : {}),
        ...(value.status ? { status: value.status } : {}),
      };
    }
    case 'rejected':
      return { kind: 'rejected', code: outcome.code, message: outcome.message };
    case 'uncertain':
      return { kind: 'uncertain', cause: outcome.cause };
  }
}
