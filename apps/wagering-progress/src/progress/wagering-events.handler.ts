import { Injectable, Logger } from '@nestjs/common';

import {
  type BetRolledBack,
  type BetSettled,
  type BonusIssued,
  type EventEnvelope,
  TOPICS,
} from '@pitboss/contracts';
import { type EventContext, type Transaction } from '@pitboss/event-store';

import { rolledBackBetOf, settledBetOf, wageringTermsOf } from './bet-facts.mapper';
import { WageringService } from './wagering.service';

export const WAGERING_CONSUMER = 'wagering-progress';
export const WAGERING_TOPICS = [TOPICS.settlements.name, TOPICS.promoGrants.name] as const;

/** The grant events after which nothing counts for a grant any more. */
const GRANT_ENDINGS = new Set(['bonus.converted', 'bonus.revoked', 'bonus.expired', 'bonus.aborted']);

/**
 * The effect of one consumed event, in the transaction that also records its inbox row: `bet.settled` and
 * `bet.rolled_back` (rgs.settlements.v1) move progress; `bonus.issued` starts a grant's stream and its endings
 * (promo.grants.v1) end it. Other event types are acknowledged without effect.
 */
@Injectable()
export class WageringEventsHandler {
  private readonly logger = new Logger(WageringEventsHandler.name);

  constructor(private readonly wagering: WageringService) {}

  async handle(envelope: EventEnvelope, tx: Transaction, traceparent: string | null = null): Promise<void> {
    const context: EventContext = {
      tenantId: envelope.tenant_id,
      playerId: envelope.player_id,
      causationId: envelope.event_id,
      traceparent,
    };
    const type = envelope.event_type;
    if (type === 'bet.settled') {
      const bet = settledBetOf(envelope as EventEnvelope<unknown> as EventEnvelope<BetSettled>);
      if (bet === null) {
        this.logger.warn(`bet.settled ${envelope.event_id} carries no stake: not counted toward wagering`);
        return;
      }
      if (envelope.player_id === null) return;
      await this.wagering.considerSettled(tx, envelope.tenant_id, envelope.player_id, bet, context);
    } else if (type === 'bet.rolled_back') {
      const { betId, bonusGrantId } = rolledBackBetOf(
        envelope as EventEnvelope<unknown> as EventEnvelope<BetRolledBack>,
      );
      await this.wagering.reverseRolledBack(tx, envelope.tenant_id, betId, bonusGrantId, context);
    } else if (type === 'bonus.issued') {
      const terms = wageringTermsOf(envelope as EventEnvelope<unknown> as EventEnvelope<BonusIssued>);
      if (terms !== null) await this.wagering.start(tx, envelope.tenant_id, terms, context);
    } else if (GRANT_ENDINGS.has(type)) {
      const { grant_id } = envelope.payload as { grant_id: string };
      await this.wagering.end(tx, envelope.tenant_id, grant_id, type, context);
    }
  }
}
