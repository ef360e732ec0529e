import { Controller, Get, Headers, Inject, Put, Req } from '@nestjs/common';
import { type Request } from 'express';
import { timingSafeEqual } from 'node:crypto';

import { PitbossError } from '@pitboss/contracts';
import { PublicRoute } from '@pitboss/security';

import { degradedModeSchema } from '../api/request-schemas';
import { validate } from '../api/validate';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { DegradedMode } from '../degraded-mode/degraded-mode.service';
import { jsonBodyOf } from './json-request-body';

/**
 * Operator calls, authenticated with `Authorization: Bearer <GATEWAY_ADMIN_TOKEN>` rather than a tenant
 * signature: the mode is the platform's, not a tenant's.
 */
@PublicRoute()
@Controller('v1/admin')
export class AdminController {
  constructor(
    private readonly degradedMode: DegradedMode,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get('mode')
  mode(@Headers('authorization') authorization: string | undefined) {
    this.authenticate(authorization);
    return this.degradedMode.current();
  }

  @Put('mode')
  switchMode(@Headers('authorization') authorization: string | undefined, @Req() request: Request) {
    this.authenticate(authorization);
    const body = jsonBodyOf(request.header('content-type'), request.body);
    const { no_new_sessions, reason } = validate(degradedModeSchema, body);
    return this.degradedMode.switchManually(no_new_sessions, reason);
  }

  private authenticate(authorization: string | undefined): void {
    const given = Buffer.from(authorization ?? '');
    const expected = Buffer.from(`Bearer ${this.config.adminToken}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new PitbossError(
        'INVALID_SIGNATURE',
        'admin calls need Authorization: Bearer <GATEWAY_ADMIN_TOKEN>',
      );
    }
  }
}
