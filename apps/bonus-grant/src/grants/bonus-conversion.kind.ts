import { z } from 'zod';

import { decideGrant, type GrantState, type Money } from '@pitboss/bonus-domain';
import { PitbossError } from '@pitboss/contracts';
import { StreamVersionConflictError, type Transaction } from '@pitboss/event-store';
import { type AppliedChange, type ChangeKind, parseOrInvalid } from '@pitboss/governance';
import { type ChangeFacts, type ChangePolicy, type ChangeRequest } from '@pitboss/governance-domain';

import { type ConversionVelocityRecorder } from './grant-conversions';
import { type GrantMetrics } from './grant-metrics';
import { type GrantStreams, type LoadedGrant } from './grant-streams.repository';
import { type GrantTimersService } from './grant-timers.service';

export const BONUS_CONVERSION_KIND = 'bonus_conversion';

/**
 * A held conversion: opened by bonus-grant itself on wagering.completed (as if with promo:convert), approved or
 * rejected by a principal with promo:approve.
 */
export const BONUS_CONVERSION_POLICY: ChangePolicy = {
  kind: BONUS_CONVERSION_KIND,
  proposeScope: 'promo:convert',
  approveScope: 'promo:approve',
  rule: { type: 'always' },
};

const money = z
  .object({
    minor_units: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    currency: z.string().regex(/^[A-Z]{3}$/),
  })
  .strict();

export const bonusConversionPayloadSchema = z
  .object({
    grant_id: z.string().uuid(),
    player_id: z.string().min(1).max(128),
    completing_bet_id: z.string().min(1).max(255),
    convertible: money,
    reasons: z.array(z.enum(['above_threshold', 'conversion_velocity'])).min(1),
  })
  .strict();

export type BonusConversionPayload = z.infer<typeof bonusConversionPayloadSchema> & {
  readonly convertible: Money;
};

/**
 * `bonus_conversion` (four-eyes, always): a completed grant whose conversion waits (`conversion_pending_approval`).
 * Approval starts the usual conversion ending on the grant's stream (the same wallet keys, capped at max win), in
 * the approval's transaction; rejection forfeits the bonus (bonus.revoked + bonus.forfeited cause
 * `conversion_rejected`). A revoke or the expiry may end the grant while it waits: an approval then answers 409
 * GRANT_ALREADY_ENDED and stays pending (reject it to close it), a rejection just closes the request.
 */
export class BonusConversionKind implements ChangeKind<BonusConversionPayload> {
  readonly policy = BONUS_CONVERSION_POLICY;

  constructor(
    private readonly streams: GrantStreams,
    private readonly timers: GrantTimersService,
    private readonly velocity: ConversionVelocityRecorder,
    private readonly metrics: GrantMetrics,
  ) {}

  parse(payload: unknown): BonusConversionPayload {
    return parseOrInvalid(bonusConversionPayloadSchema, payload) as BonusConversionPayload;
  }

  /** Only a grant whose conversion is held can be the subject of a request. */
  async facts(tx: Transaction, tenantId: string, payload: BonusConversionPayload): Promise<ChangeFacts> {
    const grant = await this.streams.load(tenantId, payload.grant_id, tx);
    if (grant.state.status !== 'conversion_pending_approval')
      throw new PitbossError(
        'CHANGE_REQUEST_INVALID',
        `grant ${payload.grant_id} has no conversion waiting`,
        {
          fields: [{ path: 'payload.grant_id', problem: `the grant is ${grant.state.status}` }],
        },
      );
    return { onlyDisables: false, amountMinorUnits: payload.convertible.minor_units };
  }

  async apply(
    tx: Transaction,
    request: ChangeRequest,
    payload: BonusConversionPayload,
  ): Promise<AppliedChange> {
    const { grant, state } = await this.decide(tx, request, payload, true);
    if (state === null) {
      this.metrics.refused(request.tenantId, 'GRANT_ALREADY_ENDED');
      throw new PitbossError('GRANT_ALREADY_ENDED', `grant ${payload.grant_id} is ${grant.state.status}`, {
        status: grant.state.status,
      });
    }
    this.metrics.transition(request.tenantId, 'conversion_approved');
    // The approved conversion counts towards the player's conversions, whatever the limit.
    await this.velocity.record(request.tenantId, grant.state.grant!.player_id, payload.grant_id);
    this.timers.notifyDue(new Date());
    return {
      action: 'bonus.conversion_approved',
      subject: `grant:${payload.grant_id}`,
      before: { status: grant.state.status },
      after: { status: state.status, convertible: payload.convertible, requested_by: request.author.subject },
    };
  }

  async reject(
    tx: Transaction,
    request: ChangeRequest,
    payload: BonusConversionPayload,
  ): Promise<AppliedChange | null> {
    const { grant, state } = await this.decide(tx, request, payload, false);
    if (state === null) return null;
    this.metrics.transition(request.tenantId, 'conversion_rejected');
    this.timers.notifyDue(new Date());
    return {
      action: 'bonus.conversion_rejected',
      subject: `grant:${payload.grant_id}`,
      before: { status: grant.state.status },
      after: { status: state.status, forfeit_cause: 'conversion_rejected' },
    };
  }

  /** The decision on the grant's stream; state null when the grant is no longer held. */
  private async decide(
    tx: Transaction,
    request: ChangeRequest,
    payload: BonusConversionPayload,
    approve: boolean,
  ): Promise<{ grant: LoadedGrant; state: GrantState | null }> {
    const grant = await this.streams.load(request.tenantId, payload.grant_id, tx);
    const events = decideGrant(
      {
        type: 'DecideHeldConversion',
        approve,
        change_request_id: request.id,
        note: request.decisionReason ?? '',
      },
      grant.state,
    );
    if (events.length === 0) return { grant, state: null };
    try {
      return { grant, state: await this.streams.append(tx, grant, events) };
    } catch (error) {
      // A revoke or the expiry appended between our read and our append: it won.
      if (!(error instanceof StreamVersionConflictError)) throw error;
      this.metrics.refused(request.tenantId, 'GRANT_ALREADY_ENDED');
      throw new PitbossError('GRANT_ALREADY_ENDED', `grant ${payload.grant_id} ended while being decided`, {
        status: 'ending',
      });
    }
  }
}
