import { Injectable, Logger } from '@nestjs/common';
import { type Context, context } from '@opentelemetry/api';

import {
  type BetRolledBack,
  type BetSettled,
  type BonusIssued,
  type EventEnvelope,
  TOPICS,
} from '@pitboss/contracts';
import { type EventContext, type Transaction } from '@pitboss/event-store';
import { PerUnitBatches, type UnitOfWork } from '@pitboss/messaging';

import { rolledBackBetOf, settledBetOf, wageringTermsOf } from './bet-facts.mapper';
import { type PlayerOfTenant, UnitActiveGrants } from './unit-active-grants';
import { WageringService } from './wagering.service';

export const WAGERING_CONSUMER = 'wagering-progress';
export const WAGERING_TOPICS = [TOPICS.settlements.name, TOPICS.promoGrants.name] as const;

/** The grant events after which nothing counts for a grant any more. */
const GRANT_ENDINGS = new Set(['bonus.converted', 'bonus.revoked', 'bonus.expired', 'bonus.aborted']);

/**
 * The effect of the consumed events, in the transaction that also records their inbox rows: `bet.settled` and
 * `bet.rolled_back` (rgs.settlements.v1) move progress; `bonus.issued` starts a grant's stream and its endings
 * (promo.grants.v1) end it. Other event types are acknowledged without effect. A unit's events are applied once
 * its last handler ran (`PerUnitBatches`), in order, after one read of the active grants of all their players.
 */
@Injectable()
export class WageringEventsHandler {
  private readonly logger = new Logger(WageringEventsHandler.name);
  private readonly batches = new PerUnitBatches<Transaction, Consumed[]>(
    () => [],
    (consumed, tx) => this.applyAll(tx, consumed),
  );

  constructor(private readonly wagering: WageringService) {}

  handle(unit: UnitOfWork<Transaction>, envelope: EventEnvelope, traceparent: string | null = null): void {
    // Applied after the unit's last handler, out of this event's span: it goes back into it, so the event's
    // appends join its trace as when they were made here.
    this.batches.of(unit).push({ envelope, traceparent, traced: context.active() });
  }

  private async applyAll(tx: Transaction, consumed: readonly Consumed[]): Promise<void> {
    const grants = await UnitActiveGrants.read(
      tx,
      consumed.flatMap(({ envelope }) => bettorOf(envelope)),
    );
    for (const { envelope, traceparent, traced } of consumed)
      await context.with(traced, () => this.apply(tx, grants, envelope, traceparent));
  }

  private async apply(
    tx: Transaction,
    grants: UnitActiveGrants,
    envelope: EventEnvelope,
    traceparent: string | null,
  ): Promise<void> {
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
      await this.wagering.considerSettled(tx, grants, envelope.tenant_id, envelope.player_id, bet, context);
    } else if (type === 'bet.rolled_back') {
      const { betId, bonusGrantId } = rolledBackBetOf(
        envelope as EventEnvelope<unknown> as EventEnvelope<BetRolledBack>,
      );
      await this.wagering.reverseRolledBack(tx, grants, envelope.tenant_id, betId, bonusGrantId, context);
    } else if (type === 'bonus.issued') {
      const terms = wageringTermsOf(envelope as EventEnvelope<unknown> as EventEnvelope<BonusIssued>);
      if (terms !== null) await this.wagering.start(tx, grants, envelope.tenant_id, terms, context);
    } else if (GRANT_ENDINGS.has(type)) {
      const { grant_id } = envelope.payload as { grant_id: string };
      await this.wagering.end(tx, grants, envelope.tenant_id, grant_id, type, context);
    }
  }
}

/** A consumed event, with the context of its message's span and the traceparent it came with. */
interface Consumed {
  readonly envelope: EventEnvelope;
  readonly traceparent: string | null;
  readonly traced: Context;
}

/** The player whose active grants a settled bet is routed among, read for the whole unit at once. */
function bettorOf(envelope: EventEnvelope): PlayerOfTenant[] {
  if (envelope.event_type !== 'bet.settled' || envelope.player_id === null) return [];
  return [{ tenantId: envelope.tenant_id, playerId: envelope.player_id }];
}
