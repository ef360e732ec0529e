import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { type Request, type Response } from 'express';
import { type Pool } from 'pg';

import { CurrentPrincipal, type Principal, RequireScopes } from '@pitboss/auth';
import { isFinal } from '@pitboss/bonus-domain';
import { PitbossError } from '@pitboss/contracts';
import { DATABASE_POOL } from '@pitboss/event-store';
import { type ChangeRequests, parseOrInvalid } from '@pitboss/governance';
import { PostgresIdempotencyStore } from '@pitboss/idempotency';

import { BONUS_GRANT_KIND, type BonusGrantPayload, heldGrantReason } from '../grants/bonus-grant.kind';
import { GRANT_APPROVALS } from '../grants/grant-approvals.token';
import { GrantEndings } from '../grants/grant-endings';
import { GrantIssuer, isHeld } from '../grants/grant-issuer';
import { GrantMetrics } from '../grants/grant-metrics';
import { grantView, playerGrants } from '../grants/grant-queries';
import {
  grantIdSchema,
  grantRequestSchema,
  playerIdSchema,
  revokeRequestSchema,
} from '../grants/grant-requests.schema';
import { GrantStreams } from '../grants/grant-streams.repository';
import { idempotentWrite, type IdempotentWork, requiredTraceId } from './idempotent-write';

/**
 * The grants runtime API. Writes need `X-Idempotency-Key` (a retry replays the first answer, another body under
 * the key is 422 IDEMPOTENCY_MISMATCH) and `X-Trace-Id`; the tenant is the token's.
 */
@Controller()
export class GrantsController {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly idempotency: PostgresIdempotencyStore,
    private readonly issuer: GrantIssuer,
    private readonly endings: GrantEndings,
    private readonly streams: GrantStreams,
    @Inject(GRANT_APPROVALS) private readonly approvals: ChangeRequests,
    private readonly metrics: GrantMetrics,
  ) {}

  @RequireScopes('promo:issue')
  @Post('v1/bonus/grants')
  async issue(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const traceId = requiredTraceId(request);
    return this.idempotent('bonus.grants.issue', request, response, principal, async (tx) => {
      const parsed = parseOrInvalid(grantRequestSchema, body);
      const answer = await this.issuer.issue(
        {
          tenantId: principal.tenantId,
          playerId: parsed.player_id,
          offerId: parsed.offer_id,
          trigger: parsed.trigger,
          triggerRef: parsed.trigger_ref,
          amountMinor: parsed.amount_minor ?? null,
          actor: principal,
          traceId,
          causationId: traceId,
          fourEyes: true,
          ...(parsed.trigger === 'deposit' && parsed.trigger_ref !== ''
            ? { depositId: parsed.trigger_ref }
            : {}),
        },
        tx,
      );
      if (isHeld(answer)) {
        // A manual adjustment or a bonus above the tenant's amount: a change request, committed with the key.
        const payload: BonusGrantPayload = {
          player_id: parsed.player_id,
          offer_id: parsed.offer_id,
          trigger: parsed.trigger,
          trigger_ref: parsed.trigger_ref,
          amount_minor: parsed.amount_minor ?? null,
          offer_version: answer.offer_version,
          bonus: answer.bonus,
          hold_reason: answer.held,
        };
        const held = await this.approvals.submitIn(
          tx,
          { ...principal },
          { kind: BONUS_GRANT_KIND, payload, reason: heldGrantReason(payload) },
          traceId,
        );
        return {
          status: 202,
          body: {
            status: 'pending_approval',
            change_request_id: held.id,
            hold_reason: answer.held,
            bonus: answer.bonus,
            expires_at: held.expiresAt.toISOString(),
          },
        };
      }
      return {
        status: answer.existing ? 200 : 201,
        body: { grant_id: answer.grant_id, status: answer.status },
      };
    });
  }

  @RequireScopes('promo:revoke')
  @Post('v1/bonus/grants/:id/revoke')
  async revoke(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const traceId = requiredTraceId(request);
    const grantId = parseOrInvalid(grantIdSchema, id);
    return this.idempotent('bonus.grants.revoke', request, response, principal, async (tx) => {
      const { reason, note } = parseOrInvalid(revokeRequestSchema, body);
      const state = await this.endings.start(
        principal.tenantId,
        grantId,
        { kind: 'revocation', reason, note },
        principal,
        tx,
        traceId,
      );
      if (state === null) throw new PitbossError('GRANT_NOT_FOUND', `no grant ${grantId}`);
      const revoked =
        state.ending?.kind === 'revocation' || state.status === 'reversing' || state.status === 'revoked';
      if (!revoked && (isFinal(state.status) || state.status === 'ending'))
        throw new PitbossError('GRANT_ALREADY_ENDED', `grant ${grantId} is ${state.status}`, {
          status: state.status,
        });
      return { status: 200, body: { grant_id: grantId, status: state.status } };
    });
  }

  @RequireScopes('promo:issue')
  @Get('v1/bonus/grants/:id')
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    const grantId = parseOrInvalid(grantIdSchema, id);
    const grant = await this.streams.load(principal.tenantId, grantId);
    if (grant.state.status === 'none') throw new PitbossError('GRANT_NOT_FOUND', `no grant ${grantId}`);
    return grantView(grantId, grant.state);
  }

  @RequireScopes('promo:issue')
  @Get('v1/players/:id/grants')
  async ofPlayer(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    const playerId = parseOrInvalid(playerIdSchema, id);
    return { player_id: playerId, grants: await playerGrants(this.pool, principal.tenantId, playerId) };
  }

  private idempotent(
    scope: string,
    request: Request,
    response: Response,
    principal: Principal,
    work: IdempotentWork,
  ): Promise<unknown> {
    // IDEMPOTENCY_MISMATCH (a key reused for another body) and IN_PROGRESS are refusals like the grant's own.
    return idempotentWrite(this.idempotency, scope, request, response, principal, work, (code) =>
      this.metrics.refused(principal.tenantId, code),
    );
  }
}
