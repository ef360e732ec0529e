import { z } from 'zod';

import { type Money } from '@pitboss/bonus-domain';
import { type Transaction } from '@pitboss/event-store';
import { type AppliedChange, type ChangeKind, parseOrInvalid } from '@pitboss/governance';
import { type ChangeFacts, type ChangePolicy, type ChangeRequest } from '@pitboss/governance-domain';

import { type GrantIssuer, isHeld } from './grant-issuer';

export const BONUS_GRANT_KIND = 'bonus_grant';

/** A held grant: requested with promo:issue, issued once another principal with promo:approve approves it. */
export const BONUS_GRANT_POLICY: ChangePolicy = {
  kind: BONUS_GRANT_KIND,
  proposeScope: 'promo:issue',
  approveScope: 'promo:approve',
  rule: { type: 'always' },
};

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._-]+$/);

/** What a held grant's change request carries: the request as asked, and the terms the approver sees. */
export const bonusGrantPayloadSchema = z
  .object({
    player_id: id,
    offer_id: id,
    trigger: z.enum(['deposit', 'manual', 'api', 'registration', 'cashback']),
    trigger_ref: z.string().max(255),
    amount_minor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable(),
    offer_version: z.number().int().min(1),
    bonus: z
      .object({
        minor_units: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        currency: z.string().regex(/^[A-Z]{3}$/),
      })
      .strict(),
    hold_reason: z.enum(['manual', 'above_threshold']),
  })
  .strict();

export type BonusGrantPayload = z.infer<typeof bonusGrantPayloadSchema> & { readonly bonus: Money };

/**
 * `bonus_grant` (four-eyes, always): a grant the API held (a manual adjustment, or a bonus above the tenant's
 * four-eyes amount). Approval issues it exactly as requested, in the approval's transaction, with every check run
 * again (offer, trigger dedupe, exclusion, eligibility, licence policy, conflict, velocity) and the offer's
 * version and bonus still those the request showed (else 409 GRANT_APPROVAL_STALE). A failing check answers the
 * approval with its code and rolls the approval back: the request stays pending (reject it, or approve once the
 * cause is gone). A rejection issues nothing.
 */
export class BonusGrantKind implements ChangeKind<BonusGrantPayload> {
  readonly policy = BONUS_GRANT_POLICY;

  constructor(private readonly issuer: GrantIssuer) {}

  parse(payload: unknown): BonusGrantPayload {
    return parseOrInvalid(bonusGrantPayloadSchema, payload) as BonusGrantPayload;
  }

  async facts(_tx: Transaction, _tenantId: string, payload: BonusGrantPayload): Promise<ChangeFacts> {
    return { onlyDisables: false, amountMinorUnits: payload.bonus.minor_units };
  }

  async apply(tx: Transaction, request: ChangeRequest, payload: BonusGrantPayload): Promise<AppliedChange> {
    const approver = request.decidedBy ?? request.author;
    const answer = await this.issuer.issue(
      {
        tenantId: request.tenantId,
        playerId: payload.player_id,
        offerId: payload.offer_id,
        trigger: payload.trigger,
        triggerRef: payload.trigger_ref,
        amountMinor: payload.amount_minor,
        actor: approver,
        causationId: request.id,
        ...(payload.trigger === 'deposit' && payload.trigger_ref !== ''
          ? { depositId: payload.trigger_ref }
          : {}),
        approval: { changeRequestId: request.id, offerVersion: payload.offer_version, bonus: payload.bonus },
      },
      tx,
    );
    if (isHeld(answer)) throw new Error(`change request ${request.id}: an approved grant was held again`);
    return {
      action: 'bonus.grant_issued',
      subject: `grant:${answer.grant_id}`,
      before: null,
      after: {
        grant_id: answer.grant_id,
        status: answer.status,
        // The trigger had its grant already (another request for the same deposit): nothing new was issued.
        existing: answer.existing,
        player_id: payload.player_id,
        offer_id: payload.offer_id,
        offer_version: payload.offer_version,
        bonus: payload.bonus,
        trigger: payload.trigger,
        trigger_ref: payload.trigger_ref,
        requested_by: request.author.subject,
      },
    };
  }
}

/** The change request's reason, as the approver's list shows it. */
export function heldGrantReason(payload: BonusGrantPayload): string {
  const what = payload.hold_reason === 'manual' ? 'manual adjustment' : 'grant above the four-eyes amount';
  return `${what}: ${payload.bonus.minor_units} ${payload.bonus.currency} of offer ${payload.offer_id} v${payload.offer_version} to player ${payload.player_id}`;
}
