import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { type Redis } from 'ioredis';
import { type Pool } from 'pg';

import {
  entitlementCostMinor,
  entitlementGrantedPayload,
  type EntitlementKind,
  entitlementStreamId,
  type EntitlementTerms,
  entitlementTermsOf,
  isGrantable,
  type PublishedOffer,
} from '@pitboss/bonus-domain';
import { PitbossError } from '@pitboss/contracts';
import { DATABASE_POOL, PostgresEventStore, type Transaction, withTransaction } from '@pitboss/event-store';
import { PostgresAuditJournal } from '@pitboss/governance';
import { GrantVelocity, REDIS_CLIENT } from '@pitboss/redis';

import { type GrantActor } from '../grants/grant-audit';
import { assertPlayerMayReceive } from '../grants/player-award-checks';
import { GRANTS_CONFIG, type GrantsConfig } from '../grants/grants.config';
import { PublishedOffers } from '../offers/published-offers';
import { PlayerFactsReader } from '../players/player-facts.reader';
import { EntitlementMetrics } from './entitlement-metrics';
import { byTriggerRef, insertEntitlement, priorAwards } from './entitlements.repository';

export interface EntitlementCommand {
  readonly tenantId: string;
  readonly playerId: string;
  readonly offerId: string;
  readonly kind?: EntitlementKind;
  readonly count?: number;
  readonly betValueMinor?: number;
  readonly games?: readonly string[];
  readonly expiresAt?: string;
  /** The trigger's own id; '' when none (then no trigger dedupe). */
  readonly triggerRef: string;
  readonly actor: GrantActor;
  readonly traceId: string;
}

export interface EntitlementAnswer {
  readonly entitlement: EntitlementTerms;
  /** True when the trigger had already produced this entitlement (a retry under another key). */
  readonly existing: boolean;
}

const DAY_MS = 86_400_000;
const UNIQUE_VIOLATION = '23505';

/**
 * Granting free spins or free bets: the checks a grant makes (offer, trigger dedupe, offer active, self-exclusion,
 * profile, eligibility, the player's licence policy, the request within the offer, velocity), each refusing with a
 * code and changing nothing; then one transaction: `entitlement.granted` on the entitlement's stream (the outbox
 * to promo.grants.v1), the index row (its unique trigger index is the last word on dedupe) and the audit entry.
 * The player's `grant_players` row is locked across the exclusion check and the insert, as for grants.
 */
@Injectable()
export class EntitlementIssuer {
  private readonly velocity: GrantVelocity;

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(REDIS_CLIENT) redis: Redis,
    private readonly store: PostgresEventStore,
    private readonly offers: PublishedOffers,
    private readonly players: PlayerFactsReader,
    private readonly audit: PostgresAuditJournal,
    private readonly metrics: EntitlementMetrics,
    @Inject(GRANTS_CONFIG) private readonly config: GrantsConfig,
  ) {
    this.velocity = new GrantVelocity(redis);
  }

  /** `tx`: the caller's (the idempotency record commits with the entitlement). */
  async issue(command: EntitlementCommand, tx?: Transaction): Promise<EntitlementAnswer> {
    try {
      const answer = tx
        ? await this.issueIn(tx, command)
        : await withTransaction(this.pool, (own) => this.issueIn(own, command));
      if (!answer.existing) this.metrics.granted(command.tenantId, answer.entitlement.kind);
      return answer;
    } catch (error) {
      if (error instanceof PitbossError) this.metrics.refused(command.tenantId, error.code);
      throw error;
    }
  }

  private async issueIn(tx: Transaction, command: EntitlementCommand): Promise<EntitlementAnswer> {
    const now = new Date();
    const offer = await this.offers.find(command.tenantId, command.offerId, tx);
    if (offer === null) throw new PitbossError('OFFER_NOT_FOUND', `no published offer ${command.offerId}`);
    const existing = await byTriggerRef(tx, command.tenantId, command.offerId, command.triggerRef);
    if (existing) return { entitlement: existing, existing: true };
    if (!isGrantable(offer, now))
      throw new PitbossError(
        'OFFER_NOT_ACTIVE',
        `offer ${offer.offer_id} is ${offer.status} or outside its schedule`,
      );
    await assertPlayerMayReceive(tx, this.players, {
      tenantId: command.tenantId,
      playerId: command.playerId,
      offer,
      now,
      noun: 'entitlement',
      priorAwards: (db) => priorAwards(db, command.tenantId, command.playerId),
    });

    const terms = entitlementTermsOf(offer, {
      entitlementId: randomUUID(),
      playerId: command.playerId,
      triggerRef: command.triggerRef,
      now,
      ...definedOnly(command),
    });
    if (!terms.ok)
      throw new PitbossError(
        terms.code,
        terms.message,
        'problems' in terms ? { fields: terms.problems } : {},
      );
    // An offer with wagering credits the wins as bonus (win_credit: bonus): each win becomes a grant of its own
    // (EntitlementWinConsumer), so the entitlement itself is given like any other.
    const entitlement = terms.entitlement;
    await this.reserveVelocity(command, offer, entitlement, now);
    try {
      await tx.query('SAVEPOINT entitlement_insert');
      await this.record(tx, command, entitlement);
      return { entitlement, existing: false };
    } catch (error) {
      await this.velocity.release({ ...command, grantId: entitlement.entitlement_id });
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      // Another request made the trigger's entitlement between our check and our insert: it is the answer.
      await tx.query('ROLLBACK TO SAVEPOINT entitlement_insert');
      const raced = await byTriggerRef(tx, command.tenantId, command.offerId, command.triggerRef);
      if (raced) return { entitlement: raced, existing: true };
      throw error;
    }
  }

  private async record(tx: Transaction, command: EntitlementCommand, entitlement: EntitlementTerms) {
    await insertEntitlement(tx, command.tenantId, entitlement);
    await this.store.appendToStream(
      tx,
      entitlementStreamId(command.tenantId, entitlement.entitlement_id),
      'no_stream',
      [{ type: 'entitlement.granted', data: entitlementGrantedPayload(entitlement) }],
      {
        tenantId: command.tenantId,
        playerId: command.playerId,
        causationId: command.traceId,
        idempotencyKey: `entitlement:${command.tenantId}:${entitlement.entitlement_id}`,
      },
    );
    await this.audit.append(tx, {
      actor: command.actor,
      action: 'bonus.entitlement_granted',
      subject: `entitlement:${entitlement.entitlement_id}`,
      after: { ...entitlement, status: 'active' },
      reason: command.triggerRef === '' ? 'api' : `api ${command.triggerRef}`,
      traceId: command.traceId,
    });
  }

  /** An entitlement counts as a grant of the player's 24 h and against the offer's budget at its full cost. */
  private async reserveVelocity(
    command: EntitlementCommand,
    offer: PublishedOffer,
    entitlement: EntitlementTerms,
    now: Date,
  ): Promise<void> {
    const answer = await this.velocity.reserve({
      tenantId: command.tenantId,
      playerId: command.playerId,
      offerId: command.offerId,
      grantId: entitlement.entitlement_id,
      amountMinor: entitlementCostMinor(entitlement),
      playerLimit: this.config.playerGrantsPer24h,
      windowMs: DAY_MS,
      budgetMinor: offer.limits.budget_minor,
      maxGrants: offer.limits.max_grants,
      offerTtlMs: 400 * DAY_MS,
      now,
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

function definedOnly(command: EntitlementCommand) {
  return {
    ...(command.kind === undefined ? {} : { kind: command.kind }),
    ...(command.count === undefined ? {} : { count: command.count }),
    ...(command.betValueMinor === undefined ? {} : { betValueMinor: command.betValueMinor }),
    ...(command.games === undefined ? {} : { games: command.games }),
    ...(command.expiresAt === undefined ? {} : { expiresAt: command.expiresAt }),
  };
}
