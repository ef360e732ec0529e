import { type OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';

import { type ErrorCode } from '@pitboss/contracts';
import { DISCREPANCY_CLASSES } from '@pitboss/reconciliation-domain';
import {
  errorResponsesOf,
  generateOpenApiDocument,
  jsonResponse,
  OpenAPIRegistry,
  type RouteConfig,
} from '@pitboss/openapi';

import {
  discrepanciesQuerySchema,
  ggrReportQuerySchema,
  importQuerySchema,
  listRunsQuerySchema,
} from './recon-request.schemas';

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
  listRuns: ['INVALID_REQUEST', ...BEARER, 'INTERNAL_ERROR'],
  getRun: ['INVALID_REQUEST', ...BEARER, 'RECON_RUN_NOT_FOUND', 'INTERNAL_ERROR'],
  listDiscrepancies: ['INVALID_REQUEST', ...BEARER, 'RECON_RUN_NOT_FOUND', 'INTERNAL_ERROR'],
  ggrReport: ['INVALID_REQUEST', ...BEARER, 'INTERNAL_ERROR'],
  importReport: [
    'INVALID_REQUEST',
    ...BEARER,
    'UNSUPPORTED_MEDIA_TYPE',
    'RECON_REPORT_INVALID',
    'INTERNAL_ERROR',
  ],
} satisfies Record<string, ErrorCode[]>;

const classCounts = z.object(
  Object.fromEntries(DISCREPANCY_CLASSES.map((c) => [c, z.number().int()])) as Record<string, z.ZodNumber>,
);
const runSchema = z
  .object({
    run_id: z.string().uuid(),
    tenant_id: z.string(),
    report_date: z.string().openapi({ example: '2026-03-10' }),
    source: z.string().openapi({ description: '`wallet_api` (fetched) or `import:<import_id>` (uploaded).' }),
    started_at: z.string(),
    completed_at: z.string(),
    wallet_rows: z.number().int(),
    expected_movements: z.number().int(),
    totals: z.array(z.record(z.unknown())).openapi({
      description: 'Per currency and kind: expected/wallet counts and sums, matched, discrepancies, ratio.',
    }),
    class_counts: classCounts,
    discrepancy_ratio: z.number(),
    threshold: z.number(),
    alerted: z.boolean(),
  })
  .openapi('ReconRun');
const discrepancySchema = z
  .object({
    seq: z.number().int(),
    class: z.enum(DISCREPANCY_CLASSES),
    transaction_key: z.string(),
    kind: z.string(),
    player_id: z.string(),
    expected_minor_units: z.number().int().nullable(),
    actual_minor_units: z.number().int().nullable(),
    currency: z.string(),
    wallet_currency: z.string().nullable(),
  })
  .openapi('ReconDiscrepancy');

const RUN_EXAMPLE = {
  run_id: '7d7c1f0e-8a3b-4c55-9f1d-2f9c1c0b6a11',
  tenant_id: 'brand-a',
  report_date: '2026-03-10',
  source: 'wallet_api',
  started_at: '2026-03-11T02:00:00.120Z',
  completed_at: '2026-03-11T02:00:04.871Z',
  wallet_rows: 14,
  expected_movements: 14,
  totals: [],
  class_counts: { missing_in_wallet: 0, unexpected_in_wallet: 0, amount_mismatch: 0, duplicate: 0, late: 0 },
  discrepancy_ratio: 0,
  threshold: 0.001,
  alerted: false,
};
const READ = [{ operatorToken: ['recon:read'] }];
const runIdParam = z.object({ runId: z.string().uuid() });

const ROUTES: RouteConfig[] = [
  {
    method: 'get',
    path: '/v1/recon/runs',
    operationId: 'listRuns',
    summary: "The tenant's reconciliation runs, newest first",
    description:
      "Every daily run of the token's tenant (scheduled, `npm run recon:daily` or an upload), newest first, with its date and totals; filter by `date`, at most `limit`.",
    tags: ['runs'],
    security: READ,
    request: { query: listRunsQuerySchema },
    responses: {
      200: jsonResponse('The runs.', z.object({ runs: z.array(runSchema) }), { runs: [RUN_EXAMPLE] }),
      ...errorResponsesOf(OPERATION_ERRORS.listRuns),
    },
  },
  {
    method: 'get',
    path: '/v1/recon/runs/{runId}',
    operationId: 'getRun',
    summary: 'One run with its totals and class counts',
    description:
      "The run's totals per currency and kind, its discrepancy ratio against the threshold and the count of each class (matched, missing_in_wallet, unexpected_in_wallet, amount_mismatch, duplicate, late).",
    tags: ['runs'],
    security: READ,
    request: { params: runIdParam },
    responses: {
      200: jsonResponse('The run.', runSchema, RUN_EXAMPLE),
      ...errorResponsesOf(OPERATION_ERRORS.getRun),
    },
  },
  {
    method: 'get',
    path: '/v1/recon/runs/{runId}/discrepancies',
    operationId: 'listDiscrepancies',
    summary: "A page of the run's discrepancies, optionally of one class",
    description:
      "The run's discrepancies by transaction key, with what the mirror expected and what the report showed; filter by `class`, page with `limit` and `cursor` (the answer's `next_cursor`).",
    tags: ['runs'],
    security: READ,
    request: { params: runIdParam, query: discrepanciesQuerySchema },
    responses: {
      200: jsonResponse(
        'The page; `next_cursor` is null on the last one.',
        z.object({
          run_id: z.string().uuid(),
          discrepancies: z.array(discrepancySchema),
          next_cursor: z.string().nullable(),
        }),
        { run_id: RUN_EXAMPLE.run_id, discrepancies: [], next_cursor: null },
      ),
      ...errorResponsesOf(OPERATION_ERRORS.listDiscrepancies),
    },
  },
  {
    method: 'post',
    path: '/v1/recon/imports',
    operationId: 'importReport',
    summary: "Upload a day's wallet (or PSP) report as CSV and reconcile the day against it",
    description:
      'The body is streamed into the database (COPY), never held in memory: millions of rows are fine. ' +
      'Formats: docs/reconciliation.md. An unreadable line refuses the whole file (nothing recorded).',
    tags: ['imports'],
    security: [{ operatorToken: ['recon:import'] }],
    request: {
      query: importQuerySchema,
      body: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
    },
    responses: {
      201: jsonResponse(
        'The import and the run made from it.',
        z.object({ import_id: z.string().uuid(), rows: z.number().int(), run: runSchema }),
        { import_id: '0b0b9f5e-51f4-4a0e-a6f3-7d1c2e9a4b10', rows: 14, run: RUN_EXAMPLE },
      ),
      ...errorResponsesOf(OPERATION_ERRORS.importReport),
    },
  },
  {
    method: 'get',
    path: '/v1/recon/reports/ggr',
    operationId: 'ggrReport',
    summary: "The day's GGR / NGR per game and currency, as CSV or a one-page PDF",
    description: 'From the mirror ledger only. Columns and definitions: docs/reconciliation.md.',
    tags: ['reports'],
    security: READ,
    request: { query: ggrReportQuerySchema },
    responses: {
      200: {
        description: 'The report (Content-Disposition: attachment).',
        content: {
          'text/csv': { schema: { type: 'string' } },
          'application/pdf': { schema: { type: 'string', format: 'binary' } },
        },
      },
      ...errorResponsesOf(OPERATION_ERRORS.ggrReport),
    },
  },
];

/** The OpenAPI 3.0 document of reconciliation's API, served at /docs/openapi.json. */
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
          'recon:read': 'Read reconciliation runs and discrepancies.',
          'recon:import': 'Upload wallet and PSP reports.',
        },
      },
    },
  });
  for (const route of ROUTES) registry.registerPath(route);
  return generateOpenApiDocument(registry, {
    title: 'Pitboss reconciliation API',
    version: '1.0.0',
    description:
      "Reconciliation runs of the caller's tenant and report uploads. Guide: `docs/reconciliation.md`. Errors " +
      'are `{"error": {code, message, retryable}}` with the codes of `docs/aggregator-guide.md`.',
    tags: [
      { name: 'runs', description: 'Daily runs, their totals and discrepancies (scope recon:read).' },
      { name: 'imports', description: 'Report uploads (scope recon:import).' },
      { name: 'reports', description: 'GGR / NGR reports (scope recon:read).' },
    ],
  });
}
