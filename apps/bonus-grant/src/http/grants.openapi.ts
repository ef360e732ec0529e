import { z } from 'zod';

import { type ErrorCode } from '@pitboss/contracts';
import { type ChangeRequestOperation, type DocumentedChangeKind } from '@pitboss/governance';
import { errorResponsesOf, jsonResponse, type RouteConfig } from '@pitboss/openapi';

import { bonusConversionPayloadSchema } from '../grants/bonus-conversion.kind';
import { bonusGrantPayloadSchema } from '../grants/bonus-grant.kind';
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
  'conversion_pending_approval',
  'ending',
  'aborted',
  'converted',
  'revoked',
  'expired',
  'failed',
]);
const answer = z.object({ grant_id: z.string().uuid(), status });
const heldAnswer = z.object({
  status: z.literal('pending_approval'),
  change_request_id: z.string().uuid(),
  hold_reason: z.enum(['manual', 'above_threshold']),
  bonus: money,
  expires_at: z.string().datetime().openapi({ description: 'When the change request expires unapproved.' }),
});
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
    .object({ kind: z.enum(['conversion', 'revocation', 'expiry', 'conversion_rejected']) })
    .passthrough()
    .nullable(),
  held_conversion: z
    .object({
      change_request_id: z.string().uuid(),
      completing_bet_id: z.string(),
      convertible: money,
      reasons: z.array(z.enum(['above_threshold', 'conversion_velocity'])),
    })
    .nullable()
    .openapi({
      description: 'The conversion held for four-eyes (`bonus_conversion` change request), if any.',
    }),
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
      'and announces bonus.issued. `amount_minor` is the qualifying amount (deposit, net loss) of match-type offers. ' +
      "A `manual` grant, or one whose bonus is above the tenant's four-eyes amount (`GRANT_FOUR_EYES_ABOVE_MINOR`), " +
      'is not issued: 202 with a `bonus_grant` change request that another principal with promo:approve approves ' +
      '(`POST /v1/change-requests/{id}/approve` issues it, every check run again) or rejects.',
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
      '202': jsonResponse('Held for four-eyes: nothing issued, a change request opened.', heldAnswer, {
        status: 'pending_approval',
        change_request_id: '9d3b2f4e-1c5a-4e8b-9f7d-2a6c8e0b1d3f',
        hold_reason: 'above_threshold',
        bonus: EUR(250_000),
        expires_at: '2026-03-05T00:00:00.000Z',
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
    description:
      "Ends an active (or held) grant with a reason: what is left of its bonus funds is forfeited through the wallet by the grant's forfeit key, then `bonus.revoked` and `bonus.forfeited`. Idempotent: revoking a revoked grant answers its status again; one that converted, expired or aborted is 409 `GRANT_ALREADY_ENDED`.",
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
    description:
      'The grant as its stream says: status, the frozen terms (amount, wagering required, max bet, max win, expiry, window, pinned contribution schema), how it ended, what was converted, and a held conversion awaiting approval.',
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
        held_conversion: null,
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
    description: "Every grant of the player in the token's tenant, from the grants index, newest first.",
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

/** `bonus_grant`: a held grant (the API opens it; issued on approval). */
export const BONUS_GRANT_DOC: DocumentedChangeKind = {
  kind: 'bonus_grant',
  proposeScope: 'promo:issue',
  approveScope: 'promo:approve',
  rule: 'always (opened by POST /v1/bonus/grants for a manual grant or one above the tenant amount)',
  payload: bonusGrantPayloadSchema,
  example: {
    player_id: 'p-1',
    offer_id: 'welcome',
    trigger: 'manual',
    trigger_ref: 'adj-7',
    amount_minor: 5000,
    offer_version: 1,
    bonus: EUR(5000),
    hold_reason: 'manual',
  },
};

/** `bonus_conversion`: a held conversion (bonus-grant opens it on wagering.completed). */
export const BONUS_CONVERSION_DOC: DocumentedChangeKind = {
  kind: 'bonus_conversion',
  proposeScope: 'promo:convert',
  approveScope: 'promo:approve',
  rule: 'always (opened by bonus-grant when a conversion is above the tenant amount or at the conversion velocity)',
  payload: bonusConversionPayloadSchema,
  example: {
    grant_id: GRANT_ID,
    player_id: 'p-1',
    completing_bet_id: 'b-9',
    convertible: EUR(600_000),
    reasons: ['above_threshold'],
  },
};

/** What approving (and rejecting) a held grant or conversion answers besides the four-eyes codes. */
export function withGrantApprovalErrors(
  errors: Readonly<Record<ChangeRequestOperation, readonly ErrorCode[]>>,
): Record<ChangeRequestOperation, readonly ErrorCode[]> {
  const issue = GRANT_OPERATION_ERRORS.issueGrant.filter(
    (code) => ![...WRITE, ...REPLAY, ...TOKEN, 'INTERNAL_ERROR'].includes(code),
  );
  const add = (codes: readonly ErrorCode[], more: readonly ErrorCode[]) => [
    ...codes,
    ...more.filter((code) => !codes.includes(code)),
  ];
  return {
    ...errors,
    approveChangeRequest: add(errors.approveChangeRequest, [
      ...issue,
      'GRANT_APPROVAL_STALE',
      'GRANT_ALREADY_ENDED',
    ]),
  };
}
