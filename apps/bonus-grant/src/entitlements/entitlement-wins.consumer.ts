import { type INestApplicationContext, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';

import { ENTITLEMENT_WIN_TRIGGER } from '@pitboss/bonus-domain';
import { type BetSettled, CreditedAs, type EventEnvelope, PitbossError, TOPICS } from '@pitboss/contracts';
import { DATABASE_POOL, postgresInbox, type Transaction } from '@pitboss/event-store';
import {
  consumerGroupTransport,
  EventsController,
  EventTransaction,
  kafkaEventTransport,
} from '@pitboss/messaging';

import { systemActor } from '../grants/grant-audit';
import { GrantIssuer } from '../grants/grant-issuer';
import { bonusCreditedEntitlement, priorAwardsBefore } from './entitlements.repository';

export const ENTITLEMENT_WINS_CONSUMER = 'bonus-grant-entitlement-wins';

/** Refusals that are the answer for this win (logged and counted by the issuer), not failures to retry. */
const FINAL_REFUSALS = new Set([
  'OFFER_NOT_FOUND',
  'OFFER_NOT_GRANTABLE',
  'INVALID_REQUEST',
  'PLAYER_PROFILE_NOT_FOUND',
  'PLAYER_NOT_ELIGIBLE',
  'OFFER_VIOLATES_REGULATION',
  'VELOCITY_LIMIT',
  'SELF_EXCLUDED',
]);

/**
 * The `bonus-grant-entitlement-wins` group reads settle-worker's rgs.settlements.v1 for the wins of entitlement
 * bets that settle-worker did not credit (`credited_as: bonus_grant`; see `entitlementWinsTransport`): a win above
 * zero of one of bonus-grant's entitlements with `win_credit: bonus` becomes a grant through the grant issuer,
 * under the entitlement's offer version, amount the win, wagering wager_x × the win (trigger `entitlement_win`,
 * trigger_ref the bet: one grant per win whoever redelivers). Each event once (inbox row in the grant's
 * transaction). A refusal (self-excluded, licence policy, velocity...) grants nothing and is final.
 */
@EventsController()
export class EntitlementWinsConsumer {
  private readonly logger = new Logger(EntitlementWinsConsumer.name);

  constructor(private readonly issuer: GrantIssuer) {}

  @EventPattern('bet.settled', consumerGroupTransport(ENTITLEMENT_WINS_CONSUMER))
  onWin(@Payload() envelope: EventEnvelope, @EventTransaction() tx: Transaction): Promise<void> {
    return this.grantWin(tx, envelope, envelope.payload as unknown as BetSettled);
  }

  private async grantWin(tx: Transaction, envelope: EventEnvelope, settled: BetSettled): Promise<void> {
    const tenantId = envelope.tenant_id;
    const entitlementId = settled.entitlement_id as string;
    const entitlement = await bonusCreditedEntitlement(tx, tenantId, entitlementId);
    if (entitlement === null) {
      this.logger.warn(
        `bet ${tenantId}/${settled.bet_id}: entitlement ${entitlementId} credits no bonus here`,
      );
      return;
    }
    try {
      await tx.query('SAVEPOINT entitlement_win');
      const answer = await this.issuer.issue(
        {
          tenantId,
          playerId: entitlement.playerId,
          offerId: entitlement.offerId,
          trigger: ENTITLEMENT_WIN_TRIGGER,
          triggerRef: settled.bet_id,
          amountMinor: settled.win.minor_units,
          causationId: envelope.event_id,
          actor: systemActor(tenantId),
          traceId: envelope.trace_id,
          entitlementWin: {
            offerVersion: entitlement.offerVersion,
            win: settled.win,
            priorAwards: (db) => priorAwardsBefore(db, tenantId, entitlementId),
          },
        },
        tx,
      );
      await tx.query('RELEASE SAVEPOINT entitlement_win');
      if ('grant_id' in answer)
        this.logger.log(`bet ${tenantId}/${settled.bet_id}: win granted as ${answer.grant_id}`);
    } catch (error) {
      if (!(error instanceof PitbossError) || !FINAL_REFUSALS.has(error.code)) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT entitlement_win');
      this.logger.warn(
        `bet ${tenantId}/${settled.bet_id}: no grant of its win (${error.code}: ${error.message})`,
      );
    }
  }
}

/** A settlement this group acts on: a win above zero of an entitlement bet that settle-worker left to bonus-grant. */
function isBonusCreditedWin(envelope: EventEnvelope): boolean {
  if (envelope.event_type !== 'bet.settled') return false;
  const settled = envelope.payload as unknown as BetSettled;
  return (
    settled.credited_as === CreditedAs.BonusGrant &&
    settled.entitlement_id !== null &&
    settled.win.minor_units > 0
  );
}

/** The group's Kafka transport bonus-grant's main connects: retries, DLQ and graceful shutdown of libs/messaging. */
export function entitlementWinsTransport(app: INestApplicationContext) {
  return kafkaEventTransport<Transaction>(app, {
    groupId: ENTITLEMENT_WINS_CONSUMER,
    topics: [TOPICS.settlements.name],
    inbox: postgresInbox(app.get(DATABASE_POOL)),
    // Every other settlement is skipped before the inbox.
    selects: isBonusCreditedWin,
    // A win settled before this group first ran is still owed its grant.
    fromBeginning: true,
    // Reads every settlement for the few entitlement wins: one batch per fetch wait, not a fetch per bet.
    delivery: 'background',
    // But one transaction per win, as for the grants group: a grant locks rows that API grants wait on.
    maxBatchSize: 1,
  });
}
