import { type OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';

import { type ErrorCode } from '@pitboss/contracts';
import { auditRouteDoc } from '@pitboss/governance';
import {
  errorResponsesOf,
  generateOpenApiDocument,
  jsonResponse,
  OpenAPIRegistry,
  type RouteConfig,
} from '@pitboss/openapi';
import { ZeroReason } from '@pitboss/wagering-domain';

import { contributionSchemaBodySchema } from '../schemas/contribution-schema.body';
import {
  contributionsQuerySchema,
  exportQuerySchema,
  grantIdParams,
  recomputeQuerySchema,
} from './request-schemas';

// Bearer token (libs/auth): token, its tenant, its scope; the JWKS may be unreachable.
const BEARER: ErrorCode[] = [
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TENANT_MISMATCH',
  'INSUFFICIENT_SCOPE',
  'SERVICE_UNAVAILABLE',
];

/** Every error code each operation answers (read off the controllers and libs/auth). */
export const OPERATION_ERRORS = {
  proposeContributionSchema: ['INVALID_REQUEST', ...BEARER, 'TENANT_WRONG_REGION', 'INTERNAL_ERROR'],
  listContributionSchemaVersions: [
    'INVALID_REQUEST',
    ...BEARER,
    'CONTRIBUTION_SCHEMA_NOT_FOUND',
    'INTERNAL_ERROR',
  ],
  getGrantProgress: ['INVALID_REQUEST', ...BEARER, 'WAGERING_NOT_FOUND', 'INTERNAL_ERROR'],
  listGrantContributions: ['INVALID_REQUEST', ...BEARER, 'WAGERING_NOT_FOUND', 'INTERNAL_ERROR'],
  exportGrantContributions: ['INVALID_REQUEST', ...BEARER, 'WAGERING_NOT_FOUND', 'INTERNAL_ERROR'],
  recomputeGrant: [
    'INVALID_REQUEST',
    ...BEARER,
    'WAGERING_NOT_FOUND',
    'CONTRIBUTION_SCHEMA_NOT_FOUND',
    'INTERNAL_ERROR',
  ],
  listAudit: ['INVALID_REQUEST', ...BEARER, 'TENANT_WRONG_REGION', 'INTERNAL_ERROR'],
} satisfies Record<string, ErrorCode[]>;

const money = z.object({ minor_units: z.number().int(), currency: z.string() });
const reasons = z.enum(Object.values(ZeroReason) as [string, ...string[]]).nullable();

const progressSchema = z
  .object({
    grant_id: z.string(),
    status: z.enum(['active', 'completed', 'ended']),
    currency: z.string(),
    required_minor: z.number().int(),
    contributed_minor: z.number().int(),
    remaining_minor: z.number().int(),
    pct: z.number().openapi({ description: 'Percent of the requirement met, floored to two decimals.' }),
    schema_id: z.string().nullable(),
    schema_version: z.number().int().nullable(),
  })
  .openapi('WageringProgress');

const receiptSchema = z
  .object({
    seq: z.number().int(),
    bet_id: z.string(),
    bet_at: z.string().datetime(),
    stake: money,
    game_id: z.string().nullable(),
    provider: z.string().nullable(),
    game_type: z.string().nullable(),
    funded_by: z.string().nullable(),
    schema_id: z.string().nullable(),
    schema_version: z.number().int().nullable(),
    rule: z.string().openapi({
      description: 'game:<id>, provider:<id>, game_type:<type>, default, excluded:<game> or none.',
    }),
    pct_bp: z.number().int(),
    contribution_minor: z.number().int(),
    reason: reasons.openapi({ description: 'Why the bet added nothing (null when it contributed).' }),
    rolled_back: z.boolean(),
  })
  .openapi('WageringReceipt');

const PROGRESS_EXAMPLE = {
  grant_id: 'grant-7',
  status: 'active',
  currency: 'EUR',
  required_minor: 350_000,
  contributed_minor: 131_250,
  remaining_minor: 218_750,
  pct: 37.5,
  schema_id: 'standard',
  schema_version: 2,
};
const RECEIPT_EXAMPLE = {
  seq: 41,
  bet_id: 'bet-9f2',
  bet_at: '2026-12-02T17:01:12.345Z',
  stake: { minor_units: 200, currency: 'EUR' },
  game_id: 'lightning-roulette',
  provider: 'evolution',
  game_type: 'live',
  funded_by: 'bonus',
  schema_id: 'standard',
  schema_version: 2,
  rule: 'provider:evolution',
  pct_bp: 1_000,
  contribution_minor: 20,
  reason: null,
  rolled_back: false,
};
const side = z.object({
  rule: z.string(),
  schema_version: z.number().int().nullable(),
  contribution_minor: z.number().int(),
  reason: reasons,
});

const PROMO_ISSUE = [{ operatorToken: ['promo:issue'] }];
const PROMO_ADMIN = [{ operatorToken: ['promo:admin'] }];
const grantParams = grantIdParams;

const ROUTES: RouteConfig[] = [
  {
    method: 'post',
    path: '/v1/contribution-schemas',
    operationId: 'proposeContributionSchema',
    summary: "Propose a contribution schema's next version (four-eyes)",
    description:
      'Opens a change request of kind `contribution_schema`; another principal with `promo:approve` approves it ' +
      'with `POST /v1/change-requests/{id}/approve`, which publishes the next version (immutable) and ' +
      '`contribution_schema.published` on promo.wagering.v1. Rules: `{match: {kind, value}, pct}` with pct in ' +
      'basis points; resolved game → provider → game type → `default_pct` (0 by default).',
    tags: ['contribution schemas'],
    security: PROMO_ADMIN,
    request: {
      body: { required: true, content: { 'application/json': { schema: contributionSchemaBodySchema } } },
    },
    responses: {
      202: jsonResponse('The pending change request.', z.object({ change_request: z.record(z.unknown()) }), {
        change_request: {
          id: '6a1f0c7e-3c0e-4d7a-9d7e-0d5c1f2e9b10',
          kind: 'contribution_schema',
          status: 'pending',
        },
      }),
      ...errorResponsesOf(OPERATION_ERRORS.proposeContributionSchema),
    },
  },
  {
    method: 'get',
    path: '/v1/contribution-schemas/{id}/versions',
    operationId: 'listContributionSchemaVersions',
    summary: "A schema's published versions, oldest first",
    description:
      'Every immutable version of the contribution schema (rules by game, provider and game type, and the default), each with the change request that published it.',
    tags: ['contribution schemas'],
    security: PROMO_ADMIN,
    request: { params: grantParams },
    responses: {
      200: jsonResponse(
        'The versions.',
        z.object({ schema_id: z.string(), versions: z.array(z.record(z.unknown())) }),
        {
          schema_id: 'standard',
          versions: [
            {
              version: 1,
              rules: [{ match: { kind: 'game_type', value: 'slot' }, pct: 10_000 }],
              default_pct: 0,
              published_by: 'brand-a-ops-1',
              published_at: '2026-12-01T09:00:00.000Z',
              change_request_id: '6a1f0c7e-3c0e-4d7a-9d7e-0d5c1f2e9b10',
            },
          ],
        },
      ),
      ...errorResponsesOf(OPERATION_ERRORS.listContributionSchemaVersions),
    },
  },
  {
    method: 'get',
    path: '/v1/bonus/grants/{id}/progress',
    operationId: 'getGrantProgress',
    summary: "A grant's wagering progress",
    description:
      "Required, contributed and remaining minor units of the grant's wagering and the percent met (floored to two decimals), under the contribution schema version the grant pinned.",
    tags: ['wagering'],
    security: PROMO_ISSUE,
    request: { params: grantParams },
    responses: {
      200: jsonResponse('The progress.', progressSchema, PROGRESS_EXAMPLE),
      ...errorResponsesOf(OPERATION_ERRORS.getGrantProgress),
    },
  },
  {
    method: 'get',
    path: '/v1/bonus/grants/{id}/contributions',
    operationId: 'listGrantContributions',
    summary: 'Per-bet receipts: every settled bet the grant considered, what it added and why not',
    description:
      'Every settled bet the grant considered, in order: its stake, the rule and schema version applied, the contribution, and for a zero contribution the reason. Paged with `limit` and `after` (the last `seq`).',
    tags: ['wagering'],
    security: PROMO_ISSUE,
    request: { params: grantParams, query: contributionsQuerySchema },
    responses: {
      200: jsonResponse(
        'A page of receipts in the order considered; `next_after` is null on the last page.',
        z.object({
          grant_id: z.string(),
          contributions: z.array(receiptSchema),
          next_after: z.number().int().nullable(),
        }),
        { grant_id: 'grant-7', contributions: [RECEIPT_EXAMPLE], next_after: null },
      ),
      ...errorResponsesOf(OPERATION_ERRORS.listGrantContributions),
    },
  },
  {
    method: 'get',
    path: '/v1/bonus/grants/{id}/contributions/export',
    operationId: 'exportGrantContributions',
    summary:
      'Every contribution of the grant with the schema version used, as CSV or JSON (for a regulator or a dispute)',
    description:
      'The whole receipt trail of the grant in one answer, `format=csv` (RFC 4180, a header row) or `format=json`: every ' +
      'settled bet considered, the rule and contribution schema version applied, the contribution and the zero reason.',
    tags: ['wagering'],
    security: PROMO_ISSUE,
    request: { params: grantParams, query: exportQuerySchema },
    responses: {
      200: {
        description: 'The export, as an attachment.',
        content: {
          'application/json': {
            schema: z.object({
              grant_id: z.string(),
              exported_at: z.string(),
              contributions: z.array(receiptSchema),
            }),
          },
          'text/csv': { schema: z.string() },
        },
      },
      ...errorResponsesOf(OPERATION_ERRORS.exportGrantContributions),
    },
  },
  {
    method: 'get',
    path: '/v1/bonus/grants/{id}/recompute',
    operationId: 'recomputeGrant',
    summary: "Dry run: the grant's settled bets replayed under another schema version, with the difference",
    description: 'Nothing is recorded. `schema_id` defaults to the schema the grant pinned.',
    tags: ['wagering'],
    security: PROMO_ISSUE,
    request: { params: grantParams, query: recomputeQuerySchema },
    responses: {
      200: jsonResponse(
        'Totals and each bet, as counted and as recomputed.',
        z.object({
          grant_id: z.string(),
          pinned: z.object({ schema_id: z.string().nullable(), schema_version: z.number().int().nullable() }),
          recomputed_under: z.object({ schema_id: z.string(), schema_version: z.number().int() }),
          required_minor: z.number().int(),
          actual_contributed_minor: z.number().int(),
          recomputed_contributed_minor: z.number().int(),
          difference_minor: z.number().int(),
          would_complete: z.boolean(),
          bets: z.array(
            z.object({
              bet_id: z.string(),
              actual: side,
              recomputed: side,
              difference_minor: z.number().int(),
            }),
          ),
        }),
        {
          grant_id: 'grant-7',
          pinned: { schema_id: 'standard', schema_version: 1 },
          recomputed_under: { schema_id: 'standard', schema_version: 2 },
          required_minor: 1_000,
          actual_contributed_minor: 110,
          recomputed_contributed_minor: 100,
          difference_minor: -10,
          would_complete: false,
          bets: [
            {
              bet_id: 'bet-1',
              actual: { rule: 'game_type:table', schema_version: 1, contribution_minor: 10, reason: null },
              recomputed: {
                rule: 'default',
                schema_version: 2,
                contribution_minor: 0,
                reason: 'GAME_EXCLUDED',
              },
              difference_minor: -10,
            },
          ],
        },
      ),
      ...errorResponsesOf(OPERATION_ERRORS.recomputeGrant),
    },
  },
  auditRouteDoc(OPERATION_ERRORS.listAudit, [{ operatorToken: ['audit:read'] }]),
];

/** The OpenAPI 3.0 document of wagering-progress's API, served at /docs/openapi.json. */
export function buildOpenApiDocument(): OpenAPIObject {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'operatorToken', {
    type: 'oauth2',
    description:
      "An access token of the identity provider (AUTH_ISSUER_URL; the token URL is the local stack's Keycloak), " +
      "sent as Authorization: Bearer <token>. The token's tenant is the tenant every route acts on.",
    flows: {
      clientCredentials: {
        tokenUrl: 'http://127.0.0.1:8180/realms/pitboss/protocol/openid-connect/token',
        scopes: {
          'promo:admin': 'Propose contribution schemas; read their versions.',
          'promo:approve': 'Approve or reject a contribution schema change request.',
          'promo:issue': "Read a grant's wagering: progress, receipts, recompute, export.",
          'audit:read': "Read the service's audit journal.",
        },
      },
    },
  });
  for (const route of ROUTES) registry.registerPath(route);
  return generateOpenApiDocument(registry, {
    title: 'Pitboss wagering-progress API',
    version: '1.0.0',
    description:
      "Contribution schemas and the wagering of the caller's tenant's grants. Guide: `docs/wagering.md`. The " +
      'four-eyes routes `/v1/change-requests…` (kind `contribution_schema`) are those of libs/governance. Errors ' +
      'are `{"error": {code, message, retryable}}` with the codes of `docs/aggregator-guide.md`.',
    tags: [
      { name: 'contribution schemas', description: 'Versioned contribution schemas (scope promo:admin).' },
      {
        name: 'wagering',
        description: "A grant's progress, receipts, recompute and export (scope promo:issue).",
      },
      { name: 'admin', description: 'The audit journal.' },
    ],
  });
}
