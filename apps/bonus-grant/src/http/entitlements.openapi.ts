import { z } from 'zod';

import { type ErrorCode } from '@pitboss/contracts';
import { errorResponsesOf, jsonResponse, type RouteConfig } from '@pitboss/openapi';

import { entitlementRequestSchema } from '../entitlements/entitlement-requests.schema';

const TOKEN: ErrorCode[] = ['UNAUTHENTICATED', 'TOKEN_EXPIRED', 'INSUFFICIENT_SCOPE', 'SERVICE_UNAVAILABLE'];

/** Every error code each entitlements operation answers (read off entitlements.controller.ts and the issuer). */
export const ENTITLEMENT_OPERATION_ERRORS = {
  grantEntitlement: [
    'INVALID_REQUEST',
    'IDEMPOTENCY_KEY_MISSING',
    'IDEMPOTENCY_KEY_INVALID',
    ...TOKEN,
    'IDEMPOTENCY_IN_PROGRESS',
    'IDEMPOTENCY_MISMATCH',
    'SELF_EXCLUDED',
    'OFFER_NOT_FOUND',
    'PLAYER_PROFILE_NOT_FOUND',
    'OFFER_NOT_ACTIVE',
    'OFFER_NOT_GRANTABLE',
    'ENTITLEMENT_OUTSIDE_OFFER',
    'PLAYER_NOT_ELIGIBLE',
    'OFFER_VIOLATES_REGULATION',
    'OFFER_BUDGET_EXHAUSTED',
    'VELOCITY_LIMIT',
    'INTERNAL_ERROR',
  ],
  listPlayerEntitlements: ['INVALID_REQUEST', ...TOKEN, 'INTERNAL_ERROR'],
} satisfies Record<string, ErrorCode[]>;

const entitlementSchema = z.object({
  entitlement_id: z.string().uuid(),
  player_id: z.string(),
  offer_id: z.string(),
  offer_version: z.number().int(),
  kind: z.enum(['free_spins', 'free_bet']),
  count: z.number().int().openapi({ description: 'Tokens granted: bets of bet_value each.' }),
  bet_value: z.object({ minor_units: z.number().int(), currency: z.string() }),
  games: z.array(z.string()).openapi({ description: 'Games the tokens may be played on; empty: any.' }),
  win_credit: z.enum(['bonus', 'cash']).openapi({
    description:
      'How wins are credited: bonus (the offer has wagering: each win becomes a grant of its own, wagering wager_x × the win) or cash.',
  }),
  expires_at: z.string().datetime(),
  trigger_ref: z.string(),
});
const listed = entitlementSchema.extend({
  remaining: z.number().int().openapi({
    description: "Tokens left as bonus-grant knows them: the count granted, then the gateway's reports.",
  }),
  status: z.enum(['active', 'used_up', 'expired']),
  created_at: z.string().datetime(),
});
const ENTITLEMENT = {
  entitlement_id: '8b9e1f0a-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
  player_id: 'p-1',
  offer_id: 'spins-20',
  offer_version: 1,
  kind: 'free_spins',
  count: 20,
  bet_value: { minor_units: 20, currency: 'EUR' },
  games: ['book-of-dead'],
  win_credit: 'cash',
  expires_at: '2026-03-08T00:00:00.000Z',
  trigger_ref: 'crm-campaign-7:p-1',
};
const tags = ['entitlements'];
const ISSUE = [{ operatorToken: ['promo:issue'] }];

export const ENTITLEMENT_ROUTES: RouteConfig[] = [
  {
    method: 'post',
    path: '/v1/entitlements',
    operationId: 'grantEntitlement',
    tags,
    summary: 'Give a player free spins or free bets under a published offer',
    description:
      "Every field but player and offer defaults to the offer's (`params.free_rounds`, its validity); a request may " +
      'ask for less, never more (another kind, more tokens, a higher bet value, other games, a later expiry: ' +
      'ENTITLEMENT_OUTSIDE_OFFER). The player checks of a grant apply; one entitlement per offer and trigger_ref. ' +
      'Recorded with entitlement.granted on promo.grants.v1, from which bet-gateway learns it.',
    security: ISSUE,
    request: {
      headers: z.object({
        'x-idempotency-key': z
          .string()
          .min(1)
          .max(255)
          .openapi({ description: 'Once per intended entitlement.' }),
        'x-trace-id': z
          .string()
          .min(1)
          .max(128)
          .openapi({ description: "The caller's trace id (required)." }),
      }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: entitlementRequestSchema,
            example: { player_id: 'p-1', offer_id: 'spins-20', count: 10, trigger_ref: 'crm-campaign-7:p-1' },
          },
        },
      },
    },
    responses: {
      '201': jsonResponse(
        'The entitlement, granted.',
        entitlementSchema.extend({ status: z.literal('active') }),
        {
          ...ENTITLEMENT,
          status: 'active',
        },
      ),
      '200': jsonResponse(
        'The entitlement this trigger already produced.',
        entitlementSchema.extend({ status: z.literal('active') }),
        { ...ENTITLEMENT, status: 'active' },
      ),
      ...errorResponsesOf(ENTITLEMENT_OPERATION_ERRORS.grantEntitlement),
    },
  },
  {
    method: 'get',
    path: '/v1/players/{id}/entitlements',
    operationId: 'listPlayerEntitlements',
    tags,
    summary: "The player's entitlements, newest first",
    description:
      'At most 500. `remaining` follows the tokens left that bet-gateway reports (entitlement.consumed / ' +
      'entitlement.restored on rgs.rounds.v1), so it lags the gateway briefly; `status` is `expired` past ' +
      '`expires_at`, else `used_up` at 0, else `active`.',
    security: ISSUE,
    request: { params: z.object({ id: z.string() }) },
    responses: {
      '200': jsonResponse(
        'The entitlements.',
        z.object({ player_id: z.string(), entitlements: z.array(listed) }),
        {
          player_id: 'p-1',
          entitlements: [
            { ...ENTITLEMENT, remaining: 20, status: 'active', created_at: '2026-03-01T00:00:00.000Z' },
          ],
        },
      ),
      ...errorResponsesOf(ENTITLEMENT_OPERATION_ERRORS.listPlayerEntitlements),
    },
  },
];
