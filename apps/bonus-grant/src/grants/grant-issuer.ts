import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { type Redis } from 'ioredis';
import { type Pool } from 'pg';

import {
  decideGrant,
  grantHoldReason,
  type GrantHoldReason,
  type GrantStatus,
  entitlementWinTermsOf,
  grantTermsOf,
  isGrantable,
  type Money,
  type PublishedOffer,
} from '@pitboss/bonus-domain';
import { PitbossError } from '@pitboss/contracts';
import { DATABASE_POOL, type Transaction, withTransaction } from '@pitboss/event-store';
import { PostgresAuditJournal } from '@pitboss/governance';
import { GrantVelocity, REDIS_CLIENT } from '@pitboss/redis';

import { PublishedOffers } from '../offers/published-offers';
import { PlayerFactsReader } from '../players/player-facts.reader';
import { type GrantActor } from './grant-audit';
import { GrantMetrics } from './grant-metrics';
import { GrantStreams } from './grant-streams.repository';
import { GrantTimersService } from './grant-timers.service';
import { GRANTS_CONFIG, type GrantsConfig } from './grants.config';
import { amountFor } from './tenant-amounts.setting';
import { assertPlayerMayReceive } from './player-award-checks';
import { assertAsApproved } from './grant-approval-check';

export interface GrantRequest {
  readonly tenantId: string;
  readonly playerId: string;
  readonly offerId: string;
  readonly trigger: string;
  /** The trigger's own id (a deposit id); '' when the trigger has none (then no trigger dedupe). */
  readonly triggerRef: string;
  readonly amountMinor: number | null;
  readonly causationId?: string | null;
  readonly traceparent?: string | null;
  /** The deposit behind a deposit trigger, for the first-deposit condition. */
  readonly depositId?: string;
  /** Recorded in the audit journal with the grant. */
  readonly actor: GrantActor;
  readonly traceId?: string | null;
  /** The API's requests: a manual grant, or one above the tenant's four-eyes amount, is held, not issued. */
  readonly fourEyes?: boolean;
  /** Issuing an approved `bonus_grant` change request: the terms the approver saw must still be the terms. */
  readonly approval?: {
    readonly changeRequestId: string;
    readonly offerVersion: number;
    readonly bonus: Money;
  };
  /**
   * The win of an entitlement bet whose entitlement credits wins as bonus (trigger `entitlement_win`, trigger_ref
   * the bet): granted under the entitlement's offer version with entitlementWinTermsOf, owed whatever the offer's
   * status or conflict group now (the token was given and played), and not charged to the offer's budget again.
   */
  readonly entitlementWin?: {
    readonly offerVersion: number;
    readonly win: Money;
    readonly priorAwards: (tx: Transaction) => Promise<number>;
  };
}

/** Every check passed but the grant needs a second person: nothing was issued or reserved. */
export interface GrantHeld {
  readonly held: GrantHoldReason;
  readonly bonus: Money;
  readonly offer_version: number;
}

export function isHeld(answer: GrantAnswer | GrantHeld): answer is GrantHeld {
  return 'held' in answer;
}

export interface GrantAnswer {
  readonly grant_id: string;
  readonly status: GrantStatus;
  /** True when the trigger had already produced this grant (a redelivery or a retry under another key). */
  readonly existing: boolean;
}

const DAY_MS = 86_400_000;
const UNIQUE_VIOLATION = '23505';

/**
 * Issuing a grant: every check that refuses with a code and changes nothing (offer, trigger dedupe, player facts,
 * self-exclusion, eligibility, jurisdiction for this player, conflict group, velocity), then one transaction:
 * `grant.issued` on the grant's stream, the grants index row (its unique trigger index is the last word on
 * dedupe) and the timer that drives the credit. The player's row is locked across conflict, exclusion and insert.
 */
@Injectable()
export class GrantIssuer {
  private readonly velocity: GrantVelocity;

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(REDIS_CLIENT) redis: Redis,
    private readonly offers: PublishedOffers,
    private readonly players: PlayerFactsReader,
    private readonly streams: GrantStreams,
    private readonly timers: GrantTimersService,
    private readonly metrics: GrantMetrics,
    private readonly audit: PostgresAuditJournal,
    @Inject(GRANTS_CONFIG) private readonly config: GrantsConfig,
  ) {
    this.velocity = new GrantVelocity(redis);
  }

  /** Issues the grant, or throws a PitbossError with the refusal's code. `tx`: the caller's (idempotency). */
  async issue(request: GrantRequest, tx?: Transaction): Promise<GrantAnswer | GrantHeld> {
    try {
      const answer = tx
        ? await this.issueIn(tx, request)
        : await withTransaction(this.pool, (own) => this.issueIn(own, request));
      if (isHeld(answer)) this.metrics.held(request.tenantId, 'grant', answer.held);
      else if (!answer.existing) {
        this.metrics.transition(request.tenantId, 'issued');
        this.timers.notifyDue(new Date());
      }
      return answer;
    } catch (error) {
      if (error instanceof PitbossError) this.metrics.refused(request.tenantId, error.code);
      throw error;
    }
  }

  private async issueIn(tx: Transaction, request: GrantRequest): Promise<GrantAnswer | GrantHeld> {
    const now = new Date();
    const win = request.entitlementWin;
    const offer = win
      ? await this.offers.findVersion(request.tenantId, request.offerId, win.offerVersion, tx)
      : await this.offers.find(request.tenantId, request.offerId, tx);
    if (offer === null) throw new PitbossError('OFFER_NOT_FOUND', `no published offer ${request.offerId}`);
    const existing = await this.byTrigger(tx, request);
    if (existing) return existing;
    if (!win && !isGrantable(offer, now))
      throw new PitbossError(
        'OFFER_NOT_ACTIVE',
        `offer ${offer.offer_id} is ${offer.status} or outside its schedule`,
      );

    await assertPlayerMayReceive(tx, this.players, {
      tenantId: request.tenantId,
      playerId: request.playerId,
      offer,
      now,
      ...(request.depositId === undefined ? {} : { depositId: request.depositId }),
      noun: 'grant',
      priorAwards: win?.priorAwards ?? ((db) => this.priorGrants(db, request)),
    });

    const grantId = randomUUID();
    const { playerId, trigger, triggerRef } = request;
    const terms = win
      ? entitlementWinTermsOf(offer, { grantId, playerId, betId: triggerRef, win: win.win, now })
      : grantTermsOf(offer, {
          grantId,
          playerId,
          trigger,
          triggerRef,
          qualifyingMinor: request.amountMinor,
          now,
        });
    if (!terms.ok) throw new PitbossError(terms.code, terms.message);
    if (!win) await this.assertNoConflict(tx, request, offer);
    const amount = terms.grant.amount;
    if (request.approval) assertAsApproved(request.approval, offer, amount);
    else if (request.fourEyes) {
      const thresholdMinor = amountFor(this.config.grantFourEyesAboveMinor, request.tenantId);
      const held = grantHoldReason({ trigger: request.trigger, amount, thresholdMinor });
      if (held !== null) return { held, bonus: amount, offer_version: offer.version };
    }
    await this.reserveVelocity(request, offer, grantId, terms.grant.amount.minor_units, now, !win);

    try {
      await tx.query('SAVEPOINT grant_insert');
      const grant = await this.streams.load(request.tenantId, grantId, tx);
      const state = await this.streams.append(
        tx,
        grant,
        decideGrant({ type: 'Issue', grant: terms.grant }, grant.state),
        {
          tenantId: request.tenantId,
          playerId: request.playerId,
          causationId: request.causationId ?? null,
          traceparent: request.traceparent ?? null,
          idempotencyKey: `grant:${request.tenantId}:${grantId}:credit`,
        },
      );
      // An approved request's grant is audited by the change request's applied entry (author and approver).
      if (!request.approval)
        await this.audit.append(tx, {
          actor: request.actor,
          action: 'bonus.grant_issued',
          subject: `grant:${grantId}`,
          after: { ...terms.grant, status: state.status },
          reason: `${request.trigger}${request.triggerRef === '' ? '' : ` ${request.triggerRef}`}`,
          traceId: request.traceId ?? null,
        });
      return { grant_id: grantId, status: state.status, existing: false };
    } catch (error) {
      await this.velocity.release({ ...request, grantId });
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      // Another request made the trigger's grant between our check and our insert: that grant is the answer.
      await tx.query('ROLLBACK TO SAVEPOINT grant_insert');
      const raced = await this.byTrigger(tx, request);
      if (raced) return raced;
      throw error;
    }
  }

  private async byTrigger(tx: Transaction, request: GrantRequest): Promise<GrantAnswer | null> {
    if (request.triggerRef === '') return null;
    const { rows } = await tx.query(
      `SELECT grant_id, status FROM grants
        WHERE tenant_id = $1 AND offer_id = $2 AND trigger = $3 AND trigger_ref = $4`,
      [request.tenantId, request.offerId, request.trigger, request.triggerRef],
    );
    const row = rows[0] as { grant_id: string; status: GrantStatus } | undefined;
    return row ? { grant_id: row.grant_id, status: row.status, existing: true } : null;
  }

  private async priorGrants(tx: Transaction, request: GrantRequest): Promise<number> {
    const { rows } = await tx.query(
      `SELECT count(*)::int AS n FROM grants WHERE tenant_id = $1 AND player_id = $2 AND status <> 'aborted'`,
      [request.tenantId, request.playerId],
    );
    return (rows[0] as { n: number }).n;
  }

  /** One grant at a time per conflict group and player: a grant not yet ended blocks the group. */
  private async assertNoConflict(
    tx: Transaction,
    request: GrantRequest,
    offer: PublishedOffer,
  ): Promise<void> {
    if (offer.conflict_group === null) return;
    const { rows } = await tx.query(
      `SELECT grant_id FROM grants
        WHERE tenant_id = $1 AND player_id = $2 AND conflict_group = $3
          AND status IN ('issued', 'active', 'conversion_pending_approval', 'ending', 'reversing')
        ORDER BY created_at LIMIT 1`,
      [request.tenantId, request.playerId, offer.conflict_group],
    );
    const blocking = rows[0] as { grant_id: string } | undefined;
    if (blocking)
      throw new PitbossError(
        'OFFER_CONFLICT',
        `the player holds grant ${blocking.grant_id} of conflict group ${offer.conflict_group}`,
        { blocking_grant_id: blocking.grant_id },
      );
  }

  private async reserveVelocity(
    request: GrantRequest,
    offer: PublishedOffer,
    grantId: string,
    amountMinor: number,
    now: Date,
    chargeOffer: boolean,
  ): Promise<void> {
    const answer = await this.velocity.reserve({
      tenantId: request.tenantId,
      playerId: request.playerId,
      offerId: request.offerId,
      grantId,
      amountMinor,
      playerLimit: this.config.playerGrantsPer24h,
      windowMs: DAY_MS,
      budgetMinor: offer.limits.budget_minor,
      maxGrants: offer.limits.max_grants,
      // Longer than any offer runs: the counters are the offer's lifetime totals.
      offerTtlMs: 400 * DAY_MS,
      now,
      chargeOffer,
    });
    if (answer.allowed) return;
    if (answer.reason === 'VELOCITY_LIMIT')
      throw new PitbossError('VELOCITY_LIMIT', `the player had ${answer.used} grants in the last 24 h`);
    throw new PitbossError(
      'OFFER_BUDGET_EXHAUSTED',
      answer.reason === 'OFFER_MAX_GRANTS'
        ? `the offer gave its ${answer.used} grants`
        : `the offer's budget is used up (${answer.used} given)`,
    );
  }
}
