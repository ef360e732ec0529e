import { z } from 'zod';

import { ELIGIBILITY_FAILURE_CODES } from '@pitboss/bonus-domain';
import { type ErrorCode } from '@pitboss/contracts';
import {
  changeRequestSchema,
  type ChangeRequestOperation,
  type DocumentedChangeKind,
} from '@pitboss/governance';
import { errorResponsesOf, jsonResponse, type RouteConfig } from '@pitboss/openapi';

import { offerPublishPayloadSchema } from '../offers/offer-publish.kind';
import {
  createOfferSchema,
  editOfferSchema,
  eligibilityRequestSchema,
  listOffersQuerySchema,
  OFFER_LIST_STATUSES,
  offerTermsSchema,
  optionalReasonSchema,
  reasonSchema,
} from '../offers/offer-terms.schema';

export type OfferOperation =
  | 'createOffer'
  | 'listOffers'
  | 'getOffer'
  | 'editOffer'
  | 'submitOffer'
  | 'pauseOffer'
  | 'resumeOffer'
  | 'retireOffer'
  | 'listOfferVersions'
  | 'offerEligibility';

const BODY: ErrorCode[] = ['INVALID_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];
// Bearer routes bound to the token's own tenant, which this region must serve; the JWKS may be unreachable.
const OWN_TENANT: ErrorCode[] = [
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'INSUFFICIENT_SCOPE',
  'SERVICE_UNAVAILABLE',
  'TENANT_WRONG_REGION',
];
const ANY: ErrorCode[] = ['INTERNAL_ERROR'];
const DECISION: ErrorCode[] = [
  'CHANGE_REQUEST_NOT_FOUND',
  'CHANGE_REQUEST_NOT_PENDING',
  'CHANGE_REQUEST_EXPIRED',
];
// What publishing checks, at submit and again at approval.
const PUBLISH: ErrorCode[] = ['OFFER_INVALID', 'OFFER_VIOLATES_REGULATION', 'OFFER_STATUS_CONFLICT'];

/** Every error code each operation answers (read off the controllers, the kind and libs/auth). */
export const OFFER_OPERATION_ERRORS = {
  createOffer: [...BODY, ...OWN_TENANT, 'OFFER_INVALID', 'OFFER_ALREADY_EXISTS', ...ANY],
  listOffers: ['INVALID_REQUEST', ...OWN_TENANT, ...ANY],
  getOffer: [...OWN_TENANT, 'OFFER_NOT_FOUND', ...ANY],
  editOffer: [
    ...BODY,
    ...OWN_TENANT,
    'OFFER_NOT_FOUND',
    'OFFER_INVALID',
    'OFFER_PENDING_APPROVAL',
    'OFFER_STATUS_CONFLICT',
    ...ANY,
  ],
  submitOffer: [...BODY, ...OWN_TENANT, 'OFFER_NOT_FOUND', 'OFFER_PENDING_APPROVAL', ...PUBLISH, ...ANY],
  pauseOffer: [...BODY, ...OWN_TENANT, 'OFFER_NOT_FOUND', 'OFFER_STATUS_CONFLICT', ...ANY],
  resumeOffer: [...BODY, ...OWN_TENANT, 'OFFER_NOT_FOUND', 'OFFER_STATUS_CONFLICT', ...ANY],
  retireOffer: [...BODY, ...OWN_TENANT, 'OFFER_NOT_FOUND', 'OFFER_STATUS_CONFLICT', ...ANY],
  listOfferVersions: [...OWN_TENANT, 'OFFER_NOT_FOUND', ...ANY],
  offerEligibility: [...BODY, ...OWN_TENANT, 'OFFER_NOT_FOUND', 'PLAYER_PROFILE_NOT_FOUND', ...ANY],
} satisfies Record<OfferOperation, ErrorCode[]>;

/** The four-eyes operations as bonus-grant answers them (its only kind publishes offers). */
export const CHANGE_REQUEST_ERRORS: Record<ChangeRequestOperation, readonly ErrorCode[]> = {
  submitChangeRequest: [
    ...BODY,
    ...OWN_TENANT,
    'CHANGE_REQUEST_INVALID',
    'OFFER_NOT_FOUND',
    'OFFER_PENDING_APPROVAL',
    ...PUBLISH,
    ...ANY,
  ],
  listChangeRequests: ['INVALID_REQUEST', ...OWN_TENANT, 'CHANGE_REQUEST_INVALID', ...ANY],
  getChangeRequest: [...OWN_TENANT, 'CHANGE_REQUEST_NOT_FOUND', ...ANY],
  approveChangeRequest: [...OWN_TENANT, ...DECISION, 'FOUR_EYES_SELF_APPROVAL', ...PUBLISH, ...ANY],
  rejectChangeRequest: [...BODY, ...OWN_TENANT, ...DECISION, ...ANY],
};

const TERMS_EXAMPLE = {
  name: 'Welcome 100% up to 100 GBP',
  type: 'deposit_match',
  currency: 'GBP',
  params: {
    match_pct: 100,
    cap_minor: 10_000,
    amount_minor: null,
    wager_x: 10,
    wagering_base: 'bonus',
    sticky: true,
    max_bet_minor: 500,
    max_win_minor: 50_000,
    validity_days: 30,
    wagering_window_days: 30,
    contribution_schema: { id: 'casino-default', version: null },
    free_rounds: null,
    qualifying_product: 'casino',
    reward_product: 'casino',
  },
  eligibility: {
    brands: null,
    segments: null,
    countries: ['GB'],
    licences: ['GB'],
    channels: null,
    min_kyc_level: 1,
    rg_clear: true,
    min_account_age_days: null,
    first_deposit_only: true,
  },
  schedule: { starts_at: null, ends_at: null },
  limits: { once_per_player: true, per_period: null, budget_minor: 10_000_000, max_grants: null },
  conflict_group: 'welcome',
  priority: 10,
};

const offerSchema = z
  .object({
    offer_id: z.string(),
    tenant_id: z.string(),
    status: z.enum(OFFER_LIST_STATUSES).openapi({
      description: '`draft` until the first version is published, then `active`, `paused` or `retired`.',
    }),
    draft: offerTermsSchema,
    draft_revision: z
      .number()
      .int()
      .openapi({ description: 'Bumped by every edit; a submit publishes this one.' }),
    latest_version: z.number().int().nullable(),
    pending_change_request_id: z.string().uuid().nullable().openapi({
      description: 'The publish request awaiting approval; edits are refused while there is one.',
    }),
    created_by: z.string(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi('Offer');

const OFFER_EXAMPLE = {
  offer_id: 'welcome-gb',
  tenant_id: 'brand-a',
  status: 'active',
  draft: TERMS_EXAMPLE,
  draft_revision: 2,
  latest_version: 1,
  pending_change_request_id: null,
  created_by: '3f2b9c1e-…',
  created_at: '2026-02-01T10:00:00.000Z',
  updated_at: '2026-02-01T11:00:00.000Z',
};

const versionSchema = offerTermsSchema
  .extend({
    tenant_id: z.string(),
    offer_id: z.string(),
    version: z.number().int(),
    status: z.enum(['active', 'paused', 'retired']).openapi({ description: "The offer's status now." }),
    published_at: z.string().datetime(),
    change_request_id: z.string().uuid(),
    policy_versions: z.record(z.number().int()).openapi({
      description: 'The jurisdiction policy version of each licence the version was checked under.',
    }),
  })
  .openapi('OfferVersion');

const eligibilitySchema = z
  .object({
    offer_id: z.string(),
    offer_version: z.number().int().nullable().openapi({ description: 'null: the draft was evaluated.' }),
    player_id: z.string(),
    evaluated_at: z.string().datetime(),
    eligible: z.boolean(),
    failures: z.array(z.object({ code: z.enum(ELIGIBILITY_FAILURE_CODES), reason: z.string() })),
  })
  .openapi('EligibilityResult');

const idParams = z.object({ id: z.string().openapi({ example: 'welcome-gb' }) });
const ADMIN = [{ operatorToken: ['promo:admin'] }];
const tags = ['offers'];

function jsonBody(schema: z.ZodTypeAny, example: unknown, required = true) {
  return { required, content: { 'application/json': { schema, example } } };
}

function statusRoute(
  action: 'pause' | 'resume' | 'retire',
  summary: string,
  errors: readonly ErrorCode[],
): RouteConfig {
  const operationId = `${action}Offer` as const;
  return {
    method: 'post',
    path: `/v1/offers/{id}/${action}`,
    operationId,
    tags,
    summary,
    description:
      'Emits offer.status_changed on promo.offers.v1 and appends an audit entry. The body is optional.',
    security: ADMIN,
    request: { params: idParams, body: jsonBody(optionalReasonSchema, { reason: 'budget review' }, false) },
    responses: {
      '200': jsonResponse('The offer after the change.', offerSchema, OFFER_EXAMPLE),
      ...errorResponsesOf(errors),
    },
  };
}

/** bonus-grant's offer_publish kind, as the change-request operations document it. */
export const OFFER_PUBLISH_DOC: DocumentedChangeKind = {
  kind: 'offer_publish',
  proposeScope: 'promo:admin',
  approveScope: 'promo:approve',
  rule: 'always',
  payload: offerPublishPayloadSchema,
  example: { offer_id: 'welcome-gb', draft_revision: 2, terms: TERMS_EXAMPLE },
};

export const OFFER_ROUTES: RouteConfig[] = [
  {
    method: 'post',
    path: '/v1/offers',
    operationId: 'createOffer',
    tags,
    summary: 'Create a draft offer',
    description:
      'Fields left out take their defaults (the schema shows them). `offer_id` is yours to choose (else a UUID). ' +
      'Cross-field rules (a match needs `match_pct`, wagering needs a contribution schema, …) are 422 OFFER_INVALID.',
    security: ADMIN,
    request: { body: jsonBody(createOfferSchema, { offer_id: 'welcome-gb', ...TERMS_EXAMPLE }) },
    responses: {
      '201': jsonResponse('The draft.', offerSchema, {
        ...OFFER_EXAMPLE,
        status: 'draft',
        latest_version: null,
      }),
      ...errorResponsesOf(OFFER_OPERATION_ERRORS.createOffer),
    },
  },
  {
    method: 'get',
    path: '/v1/offers',
    operationId: 'listOffers',
    tags,
    summary: "The tenant's offers, newest first",
    description:
      "Every offer of the token's tenant (drafts, active, paused, retired) with its latest published version, newest first.",
    security: ADMIN,
    request: { query: listOffersQuerySchema },
    responses: {
      '200': jsonResponse('The offers.', z.object({ offers: z.array(offerSchema) }), {
        offers: [OFFER_EXAMPLE],
      }),
      ...errorResponsesOf(OFFER_OPERATION_ERRORS.listOffers),
    },
  },
  {
    method: 'get',
    path: '/v1/offers/{id}',
    operationId: 'getOffer',
    tags,
    summary: 'One offer: its draft and publication state',
    description:
      "The offer's current draft (with its revision, for an edit's `draft_revision`), status and latest published version; 404 `OFFER_NOT_FOUND` for another tenant's or an unknown id.",
    security: ADMIN,
    request: { params: idParams },
    responses: {
      '200': jsonResponse('The offer.', offerSchema, OFFER_EXAMPLE),
      ...errorResponsesOf(OFFER_OPERATION_ERRORS.getOffer),
    },
  },
  {
    method: 'patch',
    path: '/v1/offers/{id}',
    operationId: 'editOffer',
    tags,
    summary: 'Edit the draft',
    description:
      "Top-level fields replace the draft's; `params`, `eligibility`, `schedule` and `limits` are merged field by " +
      'field. Published versions never change: the next approval publishes the edited draft as a new version.',
    security: ADMIN,
    request: { params: idParams, body: jsonBody(editOfferSchema, { params: { cap_minor: 20_000 } }) },
    responses: {
      '200': jsonResponse('The offer with its new draft.', offerSchema, OFFER_EXAMPLE),
      ...errorResponsesOf(OFFER_OPERATION_ERRORS.editOffer),
    },
  },
  {
    method: 'post',
    path: '/v1/offers/{id}/submit',
    operationId: 'submitOffer',
    tags,
    summary: 'Submit the draft for publication (four-eyes)',
    description:
      'Opens a change request of kind `offer_publish` carrying the draft revision and its terms. Another principal ' +
      'with `promo:approve` approves it at `POST /v1/change-requests/{id}/approve`, which publishes the version ' +
      '(offer.published on promo.offers.v1). Checked now and again at approval: consistency (OFFER_INVALID), ' +
      'jurisdiction policies (OFFER_VIOLATES_REGULATION with `error.violations`), the contribution schema.',
    security: ADMIN,
    request: { params: idParams, body: jsonBody(reasonSchema, { reason: 'spring welcome campaign' }) },
    responses: {
      '201': jsonResponse('The pending change request.', changeRequestSchema, {
        id: '6a1f0c7e-3c0e-4d7a-9d7e-0d5c1f2e9b10',
        kind: 'offer_publish',
        payload: OFFER_PUBLISH_DOC.example,
        author: { subject: '3f2b9c1e-…', client_id: 'brand-a-ops-1', tenant_id: 'brand-a' },
        reason: 'spring welcome campaign',
        status: 'pending',
        four_eyes: true,
        created_at: '2026-02-01T10:00:00.000Z',
        expires_at: '2026-02-04T10:00:00.000Z',
        decided_by: null,
        decision_reason: null,
        decided_at: null,
      }),
      ...errorResponsesOf(OFFER_OPERATION_ERRORS.submitOffer),
    },
  },
  statusRoute('pause', 'Pause a published offer (no new grants)', OFFER_OPERATION_ERRORS.pauseOffer),
  statusRoute('resume', 'Resume a paused offer', OFFER_OPERATION_ERRORS.resumeOffer),
  statusRoute('retire', 'Retire an offer for good', OFFER_OPERATION_ERRORS.retireOffer),
  {
    method: 'get',
    path: '/v1/offers/{id}/versions',
    operationId: 'listOfferVersions',
    tags,
    summary: "The offer's published versions, oldest first",
    description:
      'Every immutable version publication made of the offer, each with the terms, the pinned contribution schema version, the jurisdiction policy versions it was checked under and the change request that published it.',
    security: ADMIN,
    request: { params: idParams },
    responses: {
      '200': jsonResponse(
        'The versions.',
        z.object({ offer_id: z.string(), versions: z.array(versionSchema) }),
        { offer_id: 'welcome-gb', versions: [] },
      ),
      ...errorResponsesOf(OFFER_OPERATION_ERRORS.listOfferVersions),
    },
  },
  {
    method: 'post',
    path: '/v1/offers/{id}/eligibility',
    operationId: 'offerEligibility',
    tags,
    summary: 'Dry run: is this player eligible, and if not every reason',
    description:
      'Evaluates the latest published version (or the draft of an offer never published) against the player ' +
      'read model (players.v1, rg.v1, payments.deposits.v1). Grants nothing. `failures` lists every failed ' +
      `condition: ${ELIGIBILITY_FAILURE_CODES.join(', ')}.`,
    security: ADMIN,
    request: {
      params: idParams,
      body: jsonBody(eligibilityRequestSchema, { player_id: 'player-1', context: { deposit_id: 'dep-1' } }),
    },
    responses: {
      '200': jsonResponse('The evaluation.', eligibilitySchema, {
        offer_id: 'welcome-gb',
        offer_version: 1,
        player_id: 'player-1',
        evaluated_at: '2026-02-01T12:00:00.000Z',
        eligible: false,
        failures: [
          { code: 'COUNTRY_NOT_ALLOWED', reason: 'country SE is not one of GB' },
          {
            code: 'NOT_FIRST_DEPOSIT',
            reason: 'the offer is for the first deposit only and the player has deposited before',
          },
        ],
      }),
      ...errorResponsesOf(OFFER_OPERATION_ERRORS.offerEligibility),
    },
  },
];
