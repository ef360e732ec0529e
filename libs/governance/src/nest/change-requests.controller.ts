import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { type Request } from 'express';

import {
  assertScopes,
  CurrentPrincipal,
  PLATFORM_TENANT,
  type Principal,
  RequireScopes,
} from '@pitboss/auth';
import { PitbossError } from '@pitboss/contracts';
import { type Approver, type ChangePolicy } from '@pitboss/governance-domain';
import { PublicRoute } from '@pitboss/security';

import { ChangeRequests, changeRequestView } from '../change-requests';
import {
  jsonObjectOf,
  listChangeRequestsQuerySchema,
  parseOrInvalid,
  rejectChangeRequestSchema,
  submitChangeRequestSchema,
} from './change-request-bodies';
import { CHANGE_REQUESTS_OPTIONS, type ChangeRequestsConfig } from './change-requests.config';
import { traceIdOfRequest } from './trace-id';

/**
 * Four-eyes change requests over HTTP, for whatever kinds the app registered (`ChangeRequestsModule`). Bearer
 * tokens only (no aggregator signature); the tenant is the token's. Scopes depend on the kind, so the guard
 * verifies the token and each route checks the kind's scope: submitting needs its propose scope, approving and
 * rejecting its approve scope (the decider checks that, holding the row lock), reading either of them.
 */
@PublicRoute()
@RequireScopes()
@Controller('v1/change-requests')
export class ChangeRequestsController {
  constructor(
    private readonly requests: ChangeRequests,
    @Inject(CHANGE_REQUESTS_OPTIONS) private readonly config: ChangeRequestsConfig,
  ) {}

  @Post()
  async submit(@Req() request: Request, @CurrentPrincipal() principal: Principal) {
    this.assertServes(principal);
    const body = parseOrInvalid(
      submitChangeRequestSchema,
      jsonObjectOf(request.header('content-type'), request.body),
    );
    assertScopes(principal, [this.requests.policyOf(body.kind).proposeScope]);
    const submitted = await this.requests.submit(
      approverOf(principal),
      { kind: body.kind, payload: body.payload, reason: body.reason },
      traceIdOfRequest(request.header('traceparent')),
    );
    return changeRequestView(submitted);
  }

  @Get()
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    this.assertServes(principal);
    const { status, kind, limit } = parseOrInvalid(listChangeRequestsQuerySchema, query);
    const visible = this.visibleKinds(principal);
    if (kind !== undefined) assertMaySee(principal, this.requests.policyOf(kind));
    const kinds = kind === undefined ? visible.map((policy) => policy.kind) : [kind];
    if (kinds.length === 0) assertMaySee(principal, this.requests.policies()[0]!);
    const found = await this.requests.list(principal.tenantId, {
      kinds,
      ...(status === undefined ? {} : { status }),
      ...(limit === undefined ? {} : { limit }),
    });
    return { change_requests: found.map(changeRequestView) };
  }

  @Get(':id')
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    this.assertServes(principal);
    const found = await this.requests.get(principal.tenantId, id);
    assertMaySee(principal, this.requests.policyOf(found.kind));
    return changeRequestView(found);
  }

  @Post(':id/approve')
  @HttpCode(200)
  async approve(@Param('id') id: string, @Req() request: Request, @CurrentPrincipal() principal: Principal) {
    this.assertServes(principal);
    const approved = await this.requests.approve(
      approverOf(principal),
      id,
      traceIdOfRequest(request.header('traceparent')),
    );
    return changeRequestView(approved);
  }

  @Post(':id/reject')
  @HttpCode(200)
  async reject(@Param('id') id: string, @Req() request: Request, @CurrentPrincipal() principal: Principal) {
    this.assertServes(principal);
    const { reason } = parseOrInvalid(
      rejectChangeRequestSchema,
      jsonObjectOf(request.header('content-type'), request.body),
    );
    const rejected = await this.requests.reject(
      approverOf(principal),
      id,
      reason,
      traceIdOfRequest(request.header('traceparent')),
    );
    return changeRequestView(rejected);
  }

  /**
   * A brand's changes are made only in the region it is bound to; the platform is in every region, so only its
   * token's region is checked.
   */
  private assertServes(principal: Principal): void {
    const regions = this.config.tenantRegions;
    if (regions === undefined) return;
    if (principal.tenantId !== PLATFORM_TENANT) {
      regions.assertServes(principal.tenantId, principal.region);
    } else if (principal.region !== regions.deploymentRegion) {
      throw new PitbossError(
        'TENANT_WRONG_REGION',
        `the token is for region ${principal.region}, this deployment serves ${regions.deploymentRegion}`,
        { region: principal.region },
      );
    }
  }

  private visibleKinds(principal: Principal): ChangePolicy[] {
    return this.requests.policies().filter((policy) => maySee(principal, policy));
  }
}

function approverOf(principal: Principal): Approver {
  return {
    subject: principal.subject,
    clientId: principal.clientId,
    tenantId: principal.tenantId,
    scopes: principal.scopes,
  };
}

function maySee(principal: Principal, policy: ChangePolicy): boolean {
  return principal.scopes.includes(policy.proposeScope) || principal.scopes.includes(policy.approveScope);
}

/** Reading a kind's requests needs its propose or its approve scope (INSUFFICIENT_SCOPE names the first). */
function assertMaySee(principal: Principal, policy: ChangePolicy): void {
  if (maySee(principal, policy)) return;
  throw new PitbossError(
    'INSUFFICIENT_SCOPE',
    `reading ${policy.kind} changes needs the scope ${policy.proposeScope}`,
    {
      scope: policy.proposeScope,
    },
  );
}
