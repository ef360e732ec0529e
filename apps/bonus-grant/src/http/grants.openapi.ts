import { z } from 'zod';

import { type ErrorCode } from '@pitboss/contracts';
import { errorResponsesOf, jsonResponse, type RouteConfig } from '@pitboss/openapi';

import { grantRequestSchema, revokeRequestSchema } from '../grants/grant-requests.schema';

const WRITE: ErrorCode[] = ['INVALID_REQUEST', 'IDEMPOTENCY_KEY_MISSING', 'IDEMPOTENCY_KEY_INVALID'];
const TOKEN: ErrorCode[] = ['UNAUTHENTICATED', 'TOKEN_EXPIRED', 'INSUFFICIENT_SCOPE', 'SERVICE_UNAVAILABLE'];
const REPLAY: ErrorCode[] = ['IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_MISMATCH'];

/** Every error code each grants operation answers (read off grants.controller.ts and the issuer). */
export const GRANT_OPERATION_ERRORS = {
  issueGrant: [
    ...WRITE,
    ...TOKEN,
    ...REPLAY,
    'SELF_EXCLUDED',
    'OFFER_NOT_FOUND',
    'PLAYER_PROFILE_NOT_FOUND',
    'OFFER_CONFLICT',
    'OFFER_NOT_ACTIVE',
    'OFFER_NOT_GRANTABLE',
    'PLAYER_NOT_ELIGIBLE',
    'OFFER_VIOLATES_REGULATION',
    'OFFER_BUDGET_EXHAUSTED',
    'VELOCITY_LIMIT',
    'INTERNAL_ERROR',
  ],
  revokeGrant: [...WRITE, ...TOKEN, ...REPLAY, 'GRANT_NOT_FOUND', 'GRANT_ALREADY_ENDED', 'INTERNAL_ERROR'],
  getGrant: ['INVALID_REQUEST', ...TOKEN, 'GRANT_NOT_FOUND', 'INTERNAL_ERROR'],
  listPlayerGrants: ['INVALID_REQUEST', ...TOKEN, 'INTERNAL_ERROR'],
} satisfies Record<string, ErrorCode[]>;

const money = z.object({ minor_units: z.number().int(), currency: z.string() });
const status = z.enum([
  'issued',
  'reversing',
  'active',
  'ending',
  'aborted',
  'converted',
  'revoked',
  'expired',
  'failed',
]);
const answer = z.object({ grant_id: z.string().uuid(), status });
const grantSchema = z.object({
  grant_id: z.string().uuid(),
  status,
  player_id: z.string(),
  offer_id: z.string(),
  offer_version: z.number().int(),
  trigger: z.string(),
  trigger_ref: z.string(),
  amount: money,
  credit_balance: z.enum(['bonus', 'cash']),
  wagering_required: money.nullable(),
  max_bet: money.nullable(),
  max_win: money.nullable(),
  expires_at: z.string().datetime(),
  wagering_ends_at: z.string().datetime(),
  ending: z
    .object({ kind: z.enum(['conversion', 'revocation', 'expiry']) })
    .passthrough()
    .nullable(),
  converted: money.nullable(),
  abort_reason: z.string().nullable(),
  issued_at: z.string().datetime().nullable(),
  ended_at: z.string().datetime().nullable(),
});
const EUR = (minor_units: number) => ({ minor_units, currency: 'EUR' });
const GRANT_ID = '3f0c8a52-7a51-4f5e-9a57-0d1c9f1a2b3c';
const headers = z.object({
  'x-idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .openapi({ description: 'Once per intended grant or revoke.' }),
  'x-trace-id': z.string().min(1).max(128).openapi({ description: "The caller's trace id (required)." }),
});
const ISSUE = [{ operatorToken: ['promo:issue'] }];
const tags = ['grants'];
const body = (schema: z.ZodTypeAny, example: unknown) => ({
  required: true,
  content: { 'application/json': { schema, example } },
});

export const GRANT_ROUTES: RouteConfig[] = [
  {
    method: 'post',
    path: '/v1/bonus/grants',
    operationId: 'issueGrant',
    tags,
    summary: 'Grant an offer to a player',
    description:
      'Checks the offer, the trigger (one grant per offer and trigger_ref), self-exclusion, eligibility, the ' +
      "player's licence policy, the conflict group and velocity, then records the grant; the saga credits the wallet " +
      'and announces bonus.issued. `amount_minor` is the qualifying amount (deposit, net loss) of match-type offers.',
    security: ISSUE,
    request: {
      headers,
      body: body(grantRequestSchema, {
        player_id: 'p-1',
        offer_id: 'welcome',
        trigger: 'deposit',
        trigger_ref: 'd-1',
        amount_minor: 5000,
      }),
    },
    responses: {
      '201': jsonResponse('The grant, recorded (the credit follows).', answer, {
        grant_id: GRANT_ID,
        status: 'issued',
      }),
      '200': jsonResponse('The grant this trigger already produced.', answer, {
        grant_id: GRANT_ID,
        status: 'active',
      }),
      ...errorResponsesOf(GRANT_OPERATION_ERRORS.issueGrant),
    },
  },
  {
    method: 'post',
    path: '/v1/bonus/grants/{id}/revoke',
    operationId: 'revokeGrant',
    tags,
    summary: 'Revoke a grant: what is left of its bonus is forfeited',
    security: [{ operatorToken: ['promo:revoke'] }],
    request: {
      headers,
      params: z.object({ id: z.string().uuid() }),
      body: body(revokeRequestSchema, { reason: 'terms_breach', note: 'bonus abuse ring' }),
    },
    responses: {
      '200': jsonResponse('The grant ending (or ended) by the revoke.', answer, {
        grant_id: GRANT_ID,
        status: 'ending',
      }),
      ...errorResponsesOf(GRANT_OPERATION_ERRORS.revokeGrant),
    },
  },
  {
    method: 'get',
    path: '/v1/bonus/grants/{id}',
    operationId: 'getGrant',
    tags,
    summary: 'One grant: status and terms',
    security: ISSUE,
    request: { params: z.object({ id: z.string().uuid() }) },
    responses: {
      '200': jsonResponse('The grant.', grantSchema, {
        grant_id: GRANT_ID,
        status: 'active',
        player_id: 'p-1',
        offer_id: 'welcome',
        offer_version: 1,
        trigger: 'deposit',
        trigger_ref: 'd-1',
        amount: EUR(5000),
        credit_balance: 'bonus',
        wagering_required: EUR(50000),
        max_bet: EUR(500),
        max_win: EUR(100000),
        expires_at: '2026-04-01T00:00:00.000Z',
        wagering_ends_at: '2026-04-01T00:00:00.000Z',
        ending: null,
        converted: null,
        abort_reason: null,
        issued_at: '2026-03-02T00:00:00.000Z',
        ended_at: null,
      }),
      ...errorResponsesOf(GRANT_OPERATION_ERRORS.getGrant),
    },
  },
  {
    method: 'get',
    path: '/v1/players/{id}/grants',
    operationId: 'listPlayerGrants',
    tags,
    summary: "The player's grants, newest first",
    security: ISSUE,
    request: { params: z.object({ id: z.string() }) },
    responses: {
      '200': jsonResponse(
        'The grants.',
        z.object({
          player_id: z.string(),
          grants: z.array(z.object({ grant_id: z.string(), status }).passthrough()),
        }),
        { player_id: 'p-1', grants: [{ grant_id: GRANT_ID, status: 'active' }] },
      ),
      ...errorResponsesOf(GRANT_OPERATION_ERRORS.listPlayerGrants),
    },
  },
];
