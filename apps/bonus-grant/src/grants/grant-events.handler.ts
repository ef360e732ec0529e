import { Injectable, Logger } from '@nestjs/common';

import {
  type DepositCaptured,
  type EventEnvelope,
  type PlayerSelfExcluded,
  type WageringCompleted,
} from '@pitboss/contracts';
import { PitbossError } from '@pitboss/contracts';
import { type Transaction } from '@pitboss/event-store';

import { systemActor } from './grant-audit';
import { GrantConversions } from './grant-conversions';
import { GrantEndings } from './grant-endings';
import { GrantIssuer } from './grant-issuer';
import { lockGrantPlayer, setPlayerExcluded } from './grant-players';

/** Refusals of a deposit-triggered grant that are answers (logged and counted), not failures to retry. */
const FINAL_REFUSALS = new Set([
  'OFFER_NOT_ACTIVE',
  'OFFER_NOT_GRANTABLE',
  'PLAYER_NOT_ELIGIBLE',
  'OFFER_VIOLATES_REGULATION',
  'OFFER_BUDGET_EXHAUSTED',
  'OFFER_CONFLICT',
  'VELOCITY_LIMIT',
  'SELF_EXCLUDED',
]);

/**
 * The grants' inbound events, each applied in the caller's transaction (its inbox row commits with it):
 * - deposit.captured: a grant of every active deposit offer of the tenant, highest priority first (a conflict
 *   group then keeps the first); the trigger dedupe makes a redelivered deposit grant nothing twice;
 * - player.self_excluded: the player is blocked from grants and every grant not yet ended is revoked;
 *   player.self_exclusion_ended lifts the block;
 * - wagering.completed: the grant converts (if nothing else ended it first), or waits for a second person
 *   (GrantConversions: above the tenant's conversion amount, or at the player's conversions per 24 h).
 */
@Injectable()
export class GrantEventsHandler {
  private readonly logger = new Logger(GrantEventsHandler.name);

  constructor(
    private readonly issuer: GrantIssuer,
    private readonly endings: GrantEndings,
    private readonly conversions: GrantConversions,
  ) {}

  async handle(envelope: EventEnvelope, tx: Transaction): Promise<void> {
    const playerId = envelope.player_id;
    switch (envelope.event_type) {
      case 'deposit.captured':
        if (playerId)
          await this.deposit(envelope, playerId, envelope.payload as unknown as DepositCaptured, tx);
        return;
      case 'player.self_excluded':
        if (playerId)
          await this.selfExcluded(
            envelope.tenant_id,
            playerId,
            envelope.payload as unknown as PlayerSelfExcluded,
            tx,
          );
        return;
      case 'player.self_exclusion_ended':
        if (playerId) {
          await lockGrantPlayer(tx, envelope.tenant_id, playerId);
          await setPlayerExcluded(tx, envelope.tenant_id, playerId, false, null);
        }
        return;
      case 'wagering.completed':
        await this.conversions.completed(
          envelope.tenant_id,
          envelope.payload as unknown as WageringCompleted,
          tx,
          envelope.trace_id,
        );
        return;
      default:
        return;
    }
  }

  private async deposit(
    envelope: EventEnvelope,
    playerId: string,
    deposit: DepositCaptured,
    tx: Transaction,
  ) {
    const { rows } = await tx.query(
      `SELECT o.offer_id FROM offers o JOIN offer_versions v
          ON v.tenant_id = o.tenant_id AND v.offer_id = o.offer_id AND v.version = o.latest_version
        WHERE o.tenant_id = $1 AND o.status = 'active' AND v.terms->>'type' IN ('deposit_match', 'reload')
          AND v.terms->>'currency' = $2
        ORDER BY (v.terms->>'priority')::int DESC, o.offer_id`,
      [envelope.tenant_id, deposit.amount.currency],
    );
    for (const { offer_id: offerId } of rows as { offer_id: string }[]) {
      try {
        await tx.query('SAVEPOINT deposit_offer');
        await this.issuer.issue(
          {
            tenantId: envelope.tenant_id,
            playerId,
            offerId,
            trigger: 'deposit',
            triggerRef: deposit.deposit_id,
            amountMinor: deposit.amount.minor_units,
            causationId: envelope.event_id,
            depositId: deposit.deposit_id,
            actor: systemActor(envelope.tenant_id),
            traceId: envelope.trace_id,
          },
          tx,
        );
        await tx.query('RELEASE SAVEPOINT deposit_offer');
      } catch (error) {
        if (!(error instanceof PitbossError) || !FINAL_REFUSALS.has(error.code)) throw error;
        await tx.query('ROLLBACK TO SAVEPOINT deposit_offer');
        this.logger.log(
          `deposit ${deposit.deposit_id}: no grant of offer ${offerId} (${error.code}: ${error.message})`,
        );
      }
    }
  }

  private async selfExcluded(
    tenantId: string,
    playerId: string,
    excluded: PlayerSelfExcluded,
    tx: Transaction,
  ) {
    await lockGrantPlayer(tx, tenantId, playerId);
    const until = excluded.excluded_until === null ? null : new Date(excluded.excluded_until);
    await setPlayerExcluded(tx, tenantId, playerId, true, until);
    const { rows } = await tx.query(
      `SELECT grant_id FROM grants WHERE tenant_id = $1 AND player_id = $2
          AND status IN ('issued', 'active', 'conversion_pending_approval')`,
      [tenantId, playerId],
    );
    for (const { grant_id: grantId } of rows as { grant_id: string }[])
      await this.endings.start(
        tenantId,
        grantId,
        { kind: 'revocation', reason: 'self_exclusion', note: '' },
        systemActor(tenantId),
        tx,
      );
  }
}
