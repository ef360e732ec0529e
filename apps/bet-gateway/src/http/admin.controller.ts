import { Controller, Get, Put, Req } from '@nestjs/common';
import { type Request } from 'express';

import { ActsOnTenant, CurrentPrincipal, type Principal, RequireScopes } from '@pitboss/auth';
import { PostgresAuditJournal, traceIdOfRequest } from '@pitboss/governance';
import { PublicRoute } from '@pitboss/security';

import { degradedModeSchema } from '../api/request-schemas';
import { validate } from '../api/validate';
import { DegradedMode, type ManualMode } from '../degraded-mode/degraded-mode.service';
import { jsonBodyOf } from './json-request-body';

/** The audit subject of the gateway's manual mode. */
export const GATEWAY_MODE_SUBJECT = 'gateway_mode';

/**
 * Operator calls, authenticated with the identity provider's bearer tokens (scope `gateway:admin`) rather than a
 * tenant signature: the mode is the platform's, so only the platform's own clients may switch it. Every switch
 * is appended to the audit journal (actor, before/after, reason, trace id) in the switch's transaction.
 */
@PublicRoute()
@ActsOnTenant('platform')
@RequireScopes('gateway:admin')
@Controller('v1/admin')
export class AdminController {
  constructor(
    private readonly degradedMode: DegradedMode,
    private readonly audit: PostgresAuditJournal,
  ) {}

  @Get('mode')
  mode() {
    return this.degradedMode.current();
  }

  @Put('mode')
  switchMode(@Req() request: Request, @CurrentPrincipal() principal: Principal) {
    const body = jsonBodyOf(request.header('content-type'), request.body);
    const { no_new_sessions, reason } = validate(degradedModeSchema, body);
    const traceId = traceIdOfRequest(request.header('traceparent'));
    return this.degradedMode.switchManually(no_new_sessions, reason, (tx, before, after) =>
      this.audit
        .append(tx, {
          actor: principal,
          action: 'gateway.mode_switched',
          subject: GATEWAY_MODE_SUBJECT,
          before: before === null ? null : modeView(before),
          after: modeView(after),
          reason,
          traceId,
        })
        .then(() => undefined),
    );
  }
}

function modeView(mode: ManualMode) {
  return { no_new_sessions: mode.noNewSessions, reason: mode.reason };
}
