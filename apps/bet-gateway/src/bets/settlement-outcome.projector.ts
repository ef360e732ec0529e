import { Injectable } from '@nestjs/common';
import { type Context, context } from '@opentelemetry/api';

import { decideSettlementOutcome, type SettlementOutcome } from '@pitboss/betting-domain';
import { type EventEnvelope, type RgsSettlementsPayloads } from '@pitboss/contracts';
import { type Transaction } from '@pitboss/event-store';
import { PerUnitBatches, type UnitOfWork } from '@pitboss/messaging';

import { type BetRef, BetRepository, streamIdOf } from './bet-repository';

/**
 * Records on each bet what settle-worker reported, so the gateway answers `credited` or `compensated`. A unit's
 * outcomes are recorded once its last handler ran (`PerUnitBatches`), from one read of all their bets, in order.
 */
@Injectable()
export class SettlementOutcomeProjector {
  private readonly batches = new PerUnitBatches<Transaction, Consumed[]>(
    () => [],
    (consumed, tx) => this.record(tx, consumed),
  );

  constructor(private readonly bets: BetRepository) {}

  apply(unit: UnitOfWork<Transaction>, envelope: EventEnvelope): void {
    // The append runs after the unit's last handler, out of this event's span: it goes back into it, so the
    // outcome's event joins the bet's trace as when it was appended here.
    this.batches.of(unit).push({ envelope, traced: context.active() });
  }

  private async record(tx: Transaction, consumed: readonly Consumed[]): Promise<void> {
    const bets = await this.bets.loadAll(
      tx,
      consumed.map(({ envelope }) => betOf(envelope)),
    );
    for (const { envelope, traced } of consumed) {
      const { tenantId, betId } = betOf(envelope);
      const streamId = streamIdOf(tenantId, betId);
      const outcome = outcomeOf(envelope);
      // A bet twice in the batch decides on what the first append left.
      const next = await context.with(traced, () =>
        this.bets.decideAndAppendIn(
          tx,
          tenantId,
          betId,
          (state) => decideSettlementOutcome(betId, outcome, state),
          { causationId: envelope.event_id, traceparent: null, idempotencyKey: null },
          bets.get(streamId),
        ),
      );
      bets.set(streamId, next);
    }
  }
}

/** A consumed outcome, with the context of its message's span. */
interface Consumed {
  readonly envelope: EventEnvelope;
  readonly traced: Context;
}

function betOf(envelope: EventEnvelope): BetRef {
  return { tenantId: envelope.tenant_id, betId: (envelope.payload as { bet_id: string }).bet_id };
}

function outcomeOf(envelope: EventEnvelope): SettlementOutcome {
  const type = envelope.event_type as keyof RgsSettlementsPayloads;
  switch (type) {
    case 'bet.settled': {
      const settled = envelope.payload as unknown as RgsSettlementsPayloads['bet.settled'];
      return { type, win: settled.win, walletTransactionId: settled.wallet_transaction_id };
    }
    case 'settlement.compensated':
      return {
        type,
        reason: (envelope.payload as unknown as RgsSettlementsPayloads['settlement.compensated']).reason,
      };
    case 'bet.rolled_back':
      return { type };
  }
}
