import { Controller, Get, Put, Req } from '@nestjs/common';
import { type Request } from 'express';

import { ActsOnTenant, RequireScopes } from '@pitboss/auth';
import { PublicRoute } from '@pitboss/security';

import { degradedModeSchema } from '../api/request-schemas';
import { validate } from '../api/validate';
import { DegradedMode } from '../degraded-mode/degraded-mode.service';
import { jsonBodyOf } from './json-request-body';

/**
 * Operator calls, authenticated with the identity provider's bearer tokens (scope `gateway:admin`) rather than a
 * tenant signature: the mode is the platform's, so only the platform's own clients may switch it.
 */
@PublicRoute()
@ActsOnTenant('platform')
@RequireScopes('gateway:admin')
@Controller('v1/admin')
export class AdminController {
  constructor(private readonly degradedMode: DegradedMode) {}

  @Get('mode')
  mode() {
    return this.degradedMode.current();
  }

  @Put('mode')
  switchMode(@Req() request: Request) {
    const body = jsonBodyOf(request.header('content-type'), request.body);
    const { no_new_sessions, reason } = validate(degradedModeSchema, body);
    return this.degradedMode.switchManually(no_new_sessions, reason);
  }
}
