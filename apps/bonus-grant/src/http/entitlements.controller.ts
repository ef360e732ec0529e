import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { type Request, type Response } from 'express';
import { type Pool } from 'pg';

import { CurrentPrincipal, type Principal, RequireScopes } from '@pitboss/auth';
import { DATABASE_POOL } from '@pitboss/event-store';
import { parseOrInvalid } from '@pitboss/governance';
import { PostgresIdempotencyStore } from '@pitboss/idempotency';

import { EntitlementIssuer } from '../entitlements/entitlement-issuer';
import { entitlementRequestSchema } from '../entitlements/entitlement-requests.schema';
import { entitlementView, playerEntitlements } from '../entitlements/entitlements.repository';
import { playerIdSchema } from '../grants/grant-requests.schema';
import { idempotentWrite, requiredTraceId } from './idempotent-write';

/**
 * Free spins and free bets (entitlements), scope promo:issue, the token's tenant. The write needs
 * `X-Idempotency-Key` and `X-Trace-Id` like the grants' writes.
 */
@Controller()
export class EntitlementsController {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly idempotency: PostgresIdempotencyStore,
    private readonly issuer: EntitlementIssuer,
  ) {}

  @RequireScopes('promo:issue')
  @Post('v1/entitlements')
  async grant(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const traceId = requiredTraceId(request);
    return idempotentWrite(
      this.idempotency,
      'entitlements.grant',
      request,
      response,
      principal,
      async (tx) => {
        const parsed = parseOrInvalid(entitlementRequestSchema, body);
        const answer = await this.issuer.issue(
          {
            tenantId: principal.tenantId,
            playerId: parsed.player_id,
            offerId: parsed.offer_id,
            triggerRef: parsed.trigger_ref,
            actor: principal,
            traceId,
            ...(parsed.kind === undefined ? {} : { kind: parsed.kind }),
            ...(parsed.count === undefined ? {} : { count: parsed.count }),
            ...(parsed.bet_value_minor === undefined ? {} : { betValueMinor: parsed.bet_value_minor }),
            ...(parsed.games === undefined ? {} : { games: parsed.games }),
            ...(parsed.expires_at === undefined ? {} : { expiresAt: parsed.expires_at }),
          },
          tx,
        );
        return {
          status: answer.existing ? 200 : 201,
          body: { ...entitlementView(answer.entitlement), status: 'active' },
        };
      },
    );
  }

  @RequireScopes('promo:issue')
  @Get('v1/players/:id/entitlements')
  async ofPlayer(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    const playerId = parseOrInvalid(playerIdSchema, id);
    return {
      player_id: playerId,
      entitlements: await playerEntitlements(this.pool, principal.tenantId, playerId, new Date()),
    };
  }
}
