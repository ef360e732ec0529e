import { Injectable } from '@nestjs/common';

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
  private readonly batches = new PerUnitBatches<Transaction, EventEnvelope[]>(
    () => [],
    (envelopes, tx) => this.record(tx, envelopes),
  );

  constructor(private readonly bets: BetRepository) {}

  apply(unit: UnitOfWork<Transaction>, envelope: EventEnvelope): void {
    this.batches.of(unit).push(envelope);
  }

  private async record(tx: Transaction, envelopes: readonly EventEnvelope[]): Promise<void> {
    const bets = await this.bets.loadAll(tx, envelopes.map(betOf));
    for (const envelope of envelopes) {
      const { tenantId, betId } = betOf(envelope);
      const streamId = streamIdOf(tenantId, betId);
      const outcome = outcomeOf(envelope);
      // A bet twice in the batch decides on what the first append left.
      const next = await this.bets.decideAndAppendIn(
        tx,
        tenantId,
        betId,
        (state) => decideSettlementOutcome(betId, outcome, state),
        { causationId: envelope.event_id, traceparent: null, idempotencyKey: null },
        bets.get(streamId),
      );
      bets.set(streamId, next);
    }
  }
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
