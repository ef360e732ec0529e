import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Kafka } from 'kafkajs';
import { type Pool } from 'pg';
import { type Registry } from 'prom-client';

import { ENTITLEMENT_WIN_TRIGGER } from '@pitboss/bonus-domain';
import { type BetSettled, CreditedAs, type EventEnvelope, PitbossError, TOPICS } from '@pitboss/contracts';
import { DATABASE_POOL, processOnce, type Transaction } from '@pitboss/event-store';
import { type ConsumedEventContext, EventCodec, EventConsumer, KAFKA, TopicNaming } from '@pitboss/messaging';
import { METRICS_REGISTRY } from '@pitboss/observability';

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
 * bets that settle-worker did not credit (`credited_as: bonus_grant`): a win above zero of one of bonus-grant's
 * entitlements with `win_credit: bonus` becomes a grant through the grant issuer, under the entitlement's offer
 * version, amount the win, wagering wager_x × the win (trigger `entitlement_win`, trigger_ref the bet: one grant
 * per win whoever redelivers). Each event once (inbox row in the grant's transaction); every other settlement is
 * skipped before the inbox. A refusal (self-excluded, licence policy, velocity...) grants nothing and is final.
 */
@Injectable()
export class EntitlementWinsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EntitlementWinsConsumer.name);
  private readonly consumer: EventConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    codec: EventCodec,
    naming: TopicNaming,
    @Inject(METRICS_REGISTRY) metrics: Registry,
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly issuer: GrantIssuer,
  ) {
    this.consumer = new EventConsumer(kafka, codec, naming, {
      groupId: ENTITLEMENT_WINS_CONSUMER,
      topics: [TOPICS.settlements.name],
      handler: (envelope, context) => this.handle(envelope, context),
      // A win settled before this group first ran is still owed its grant.
      fromBeginning: true,
      // Reads every settlement for the few entitlement wins: one batch per fetch wait, not a fetch per bet.
      delivery: 'background',
      metrics,
    });
  }

  async handle(envelope: EventEnvelope, consumed: ConsumedEventContext): Promise<void> {
    if (envelope.event_type !== 'bet.settled') return;
    const settled = envelope.payload as unknown as BetSettled;
    if (settled.credited_as !== CreditedAs.BonusGrant || settled.entitlement_id === null) return;
    if (settled.win.minor_units <= 0) return;
    await processOnce(
      this.pool,
      {
        consumer: ENTITLEMENT_WINS_CONSUMER,
        eventId: envelope.event_id,
        eventType: envelope.event_type,
        sourceTopic: consumed.topic,
      },
      (tx) => this.grantWin(tx, envelope, settled),
    );
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

  onApplicationBootstrap(): void {
    this.consumer.startInBackgroundLogged(this.logger, `${TOPICS.settlements.name} for entitlement wins`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
