import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { type Request } from 'express';

import { CurrentPrincipal, type Principal, RequireScopes } from '@pitboss/auth';
import { type OfferStatusAction, type OfferTerms } from '@pitboss/bonus-domain';
import { PitbossError } from '@pitboss/contracts';
import { changeRequestView, parseOrInvalid, TenantRegions, traceIdOfRequest } from '@pitboss/governance';

import { OfferCommands } from '../offers/offer-commands';
import { OfferEligibility } from '../offers/offer-eligibility';
import {
  createOfferSchema,
  editOfferSchema,
  eligibilityRequestSchema,
  listOffersQuerySchema,
  offerIdSchema,
  optionalReasonSchema,
  reasonSchema,
} from '../offers/offer-terms.schema';
import { type OfferRecord, OffersRepository } from '../offers/offers.repository';

/**
 * The offers admin API (scope promo:admin). The tenant is the token's: every offer read or written is the
 * caller's tenant's, another tenant's offer id is 404 like an unknown one. Publishing goes through four-eyes:
 * `submit` opens an `offer_publish` change request that another principal with promo:approve approves at
 * `POST /v1/change-requests/{id}/approve`.
 */
@RequireScopes('promo:admin')
@Controller('v1/offers')
export class OffersController {
  constructor(
    private readonly commands: OfferCommands,
    private readonly offers: OffersRepository,
    private readonly eligibility: OfferEligibility,
    private readonly regions: TenantRegions,
  ) {}

  @Post()
  async create(@Req() request: Request, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { offer_id, ...terms } = parseOrInvalid(createOfferSchema, jsonBody(request, body));
    const created = await this.commands.create(
      this.served(principal),
      offer_id,
      terms as OfferTerms,
      traceOf(request),
    );
    return offerView(created);
  }

  @Get()
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const { status, limit } = parseOrInvalid(listOffersQuerySchema, query);
    return {
      offers: (await this.offers.list(this.served(principal).tenantId, status, limit)).map(offerView),
    };
  }

  @Get(':id')
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return offerView(await this.offers.get(this.served(principal).tenantId, offerIdOf(id)));
  }

  @Get(':id/versions')
  async versions(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    const offerId = offerIdOf(id);
    return {
      offer_id: offerId,
      versions: await this.offers.versions(this.served(principal).tenantId, offerId),
    };
  }

  @Patch(':id')
  async edit(
    @Param('id') id: string,
    @Req() request: Request,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const edit = parseOrInvalid(editOfferSchema, jsonBody(request, body));
    return offerView(await this.commands.edit(this.served(principal), offerIdOf(id), edit, traceOf(request)));
  }

  @Post(':id/submit')
  async submit(
    @Param('id') id: string,
    @Req() request: Request,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { reason } = parseOrInvalid(reasonSchema, jsonBody(request, body));
    return changeRequestView(
      await this.commands.submit(this.served(principal), offerIdOf(id), reason, traceOf(request)),
    );
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(
    @Param('id') id: string,
    @Req() request: Request,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.changeStatus(id, 'pause', request, body, p);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(
    @Param('id') id: string,
    @Req() request: Request,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.changeStatus(id, 'resume', request, body, p);
  }

  @Post(':id/retire')
  @HttpCode(200)
  retire(
    @Param('id') id: string,
    @Req() request: Request,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.changeStatus(id, 'retire', request, body, p);
  }

  @Post(':id/eligibility')
  @HttpCode(200)
  async dryRun(
    @Param('id') id: string,
    @Req() request: Request,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { player_id, context } = parseOrInvalid(eligibilityRequestSchema, jsonBody(request, body));
    return this.eligibility.dryRun(this.served(principal).tenantId, offerIdOf(id), player_id, context);
  }

  /** The principal, once its tenant (and region claim) is one this deployment serves: else TENANT_WRONG_REGION. */
  private served(principal: Principal): Principal {
    this.regions.assertServes(principal.tenantId, principal.region);
    return principal;
  }

  private async changeStatus(
    id: string,
    action: OfferStatusAction,
    request: Request,
    body: unknown,
    principal: Principal,
  ) {
    const { reason } = parseOrInvalid(optionalReasonSchema, optionalJsonBody(request, body));
    return offerView(
      await this.commands.changeStatus(
        this.served(principal),
        offerIdOf(id),
        action,
        reason,
        traceOf(request),
      ),
    );
  }
}

export function offerView(offer: OfferRecord) {
  return {
    offer_id: offer.offerId,
    tenant_id: offer.tenantId,
    status: offer.status,
    draft: offer.draft,
    draft_revision: offer.draftRevision,
    latest_version: offer.latestVersion,
    pending_change_request_id: offer.pendingChangeRequestId,
    created_by: offer.createdBy,
    created_at: offer.createdAt.toISOString(),
    updated_at: offer.updatedAt.toISOString(),
  };
}

function traceOf(request: Request): string | null {
  return traceIdOfRequest(request.header('traceparent'));
}

/** An id that cannot name an offer is 404 like an unknown one (never a 500 from the database). */
function offerIdOf(id: string): string {
  if (!offerIdSchema.safeParse(id).success) {
    throw new PitbossError('OFFER_NOT_FOUND', `no offer ${id.slice(0, 64)} in your tenant`, { offer_id: id });
  }
  return id;
}

/** The JSON object body of a write; 415 UNSUPPORTED_MEDIA_TYPE when it was not sent as application/json. */
function jsonBody(request: Request, body: unknown): unknown {
  if (!request.is('application/json')) {
    throw new PitbossError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PitbossError('INVALID_REQUEST', 'the body must be a JSON object', {
      fields: [{ path: '(body)', problem: 'not a JSON object' }],
    });
  }
  return body;
}

/** A body that may be left out (no Content-Length): `{}`. */
function optionalJsonBody(request: Request, body: unknown): unknown {
  const length = Number(request.header('content-length') ?? '0');
  if (length === 0 && request.header('transfer-encoding') === undefined) return {};
  return jsonBody(request, body);
}
