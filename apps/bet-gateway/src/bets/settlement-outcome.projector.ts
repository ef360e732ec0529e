import { Injectable } from '@nestjs/common';

import { decideSettlementOutcome, type SettlementOutcome } from '@pitboss/betting-domain';
import { type EventEnvelope, type RgsSettlementsPayloads } from '@pitboss/contracts';
import { type Transaction } from '@pitboss/event-store';

import { BetRepository } from './bet-repository';

/** Records on each bet what settle-worker reported, so the gateway answers `credited` or `compensated`. */
@Injectable()
export class SettlementOutcomeProjector {
  constructor(private readonly bets: BetRepository) {}

  async apply(tx: Transaction, envelope: EventEnvelope): Promise<void> {
    const outcome = outcomeOf(envelope);
    const betId = (envelope.payload as { bet_id: string }).bet_id;
    await this.bets.decideAndAppendIn(
      tx,
      envelope.tenant_id,
      betId,
      (state) => decideSettlementOutcome(betId, outcome, state),
      {
        causationId: envelope.event_id,
        traceparent: null,
        idempotencyKey: null,
      },
    );
  }
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
