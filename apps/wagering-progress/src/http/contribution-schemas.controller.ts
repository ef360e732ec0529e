import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { type Request } from 'express';

import { CurrentPrincipal, type Principal, RequireScopes } from '@pitboss/auth';
import { PitbossError } from '@pitboss/contracts';
import { ChangeRequests, changeRequestView, parseOrInvalid, traceIdOfRequest } from '@pitboss/governance';

import { parseContributionSchema } from '../schemas/contribution-schema.body';
import { CONTRIBUTION_SCHEMA_POLICY } from '../schemas/contribution-schema.kind';
import { ContributionSchemasRepository } from '../schemas/contribution-schemas.repository';
import { grantIdParams } from './request-schemas';

/**
 * Contribution schemas (scope promo:admin). A POST proposes the schema's next version as a four-eyes change
 * request (kind `contribution_schema`); another principal's approval with promo:approve
 * (`POST /v1/change-requests/{id}/approve`) publishes it. Versions are immutable once published.
 */
@RequireScopes('promo:admin')
@Controller('v1/contribution-schemas')
export class ContributionSchemasController {
  constructor(
    private readonly requests: ChangeRequests,
    private readonly schemas: ContributionSchemasRepository,
  ) {}

  @Post()
  @HttpCode(202)
  async propose(@Body() body: unknown, @Req() request: Request, @CurrentPrincipal() principal: Principal) {
    const draft = parseContributionSchema(body);
    const submitted = await this.requests.submit(
      {
        subject: principal.subject,
        clientId: principal.clientId,
        tenantId: principal.tenantId,
        scopes: principal.scopes,
      },
      { kind: CONTRIBUTION_SCHEMA_POLICY.kind, payload: body, reason: draft.reason },
      traceIdOfRequest(request.header('traceparent')),
    );
    return { change_request: changeRequestView(submitted) };
  }

  @Get(':id/versions')
  async versions(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { id } = parseOrInvalid(grantIdParams, params);
    const versions = await this.schemas.versions(principal.tenantId, id);
    if (versions.length === 0)
      throw new PitbossError('CONTRIBUTION_SCHEMA_NOT_FOUND', `no contribution schema ${id} in your tenant`);
    return {
      schema_id: id,
      versions: versions.map((version) => ({
        version: version.version,
        rules: version.rules.map((rule) => ({ match: rule.match, pct: rule.pctBp })),
        default_pct: version.defaultPctBp,
        published_by: version.publishedBy,
        published_at: version.publishedAt.toISOString(),
        change_request_id: version.changeRequestId,
      })),
    };
  }
}
