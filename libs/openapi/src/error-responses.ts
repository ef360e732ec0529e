import { type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { ERROR_CATALOGUE, errorBodyOf, type ErrorCode, PitbossError } from '@pitboss/contracts';

import './openapi-builder';

const money = (description: string) =>
  z
    .object({ minor_units: z.number().int(), currency: z.string().regex(/^[A-Z]{3}$/) })
    .openapi({ description });

interface ErrorDetails {
  /** The fields the code adds to the error object, beside `code`, `message` and `retryable`. */
  readonly shape: z.ZodRawShape;
  readonly example: Readonly<Record<string, unknown>>;
}

/**
 * The details (`PitbossError.details`) some codes carry. `errorBodyOf` spreads them into the error object, so an
 * answer reads `error.fields`, `error.balance`, … (never `error.details.…`). A code means the same everywhere,
 * hence one table for every service.
 */
export const ERROR_DETAILS: Partial<Record<ErrorCode, ErrorDetails>> = {
  INVALID_REQUEST: {
    shape: {
      fields: z.array(z.union([z.object({ path: z.string(), problem: z.string() }), z.string()])).openapi({
        description:
          'Offending fields: `{path, problem}` for body validation (`amount.minor_units`, `(body)` for the ' +
          'whole body), or header names (`content-type`).',
      }),
    },
    example: { fields: [{ path: 'amount.minor_units', problem: 'Expected integer, received float' }] },
  },
  INSUFFICIENT_FUNDS: {
    shape: { balance: money('The actual balance (when the wallet reported it).') },
    example: { balance: { minor_units: 120, currency: 'EUR' } },
  },
  BONUS_MAX_BET_EXCEEDED: {
    shape: { max_bet: money("The grant's maximum stake.") },
    example: { max_bet: { minor_units: 500, currency: 'EUR' } },
  },
  BONUS_RULE_VIOLATION: {
    shape: { game_id: z.string().openapi({ description: 'The game the grant excludes.' }) },
    example: { game_id: 'starburst' },
  },
  ENTITLEMENT_EXPIRED: {
    shape: { expires_at: z.string().openapi({ description: 'When the entitlement lapsed (ISO-8601 UTC).' }) },
    example: { expires_at: '2026-03-08T00:00:00.000Z' },
  },
  GAME_NOT_ELIGIBLE: {
    shape: {
      game_id: z.string().openapi({ description: "The bet's game." }),
      games: z.array(z.string()).openapi({ description: 'The games the entitlement may be used on.' }),
    },
    example: { game_id: 'starburst', games: ['book-of-dead'] },
  },
  ENTITLEMENT_STAKE_MISMATCH: {
    shape: { bet_value: money("The entitlement's bet value: the only stake it pays for.") },
    example: { bet_value: { minor_units: 20, currency: 'EUR' } },
  },
  ENTITLEMENT_OUTSIDE_OFFER: {
    shape: {
      fields: z
        .array(z.object({ field: z.string(), reason: z.string() }))
        .openapi({ description: 'Each request field beyond what the offer allows.' }),
    },
    example: { fields: [{ field: 'count', reason: 'the offer gives at most 20' }] },
  },
  BET_ALREADY_SETTLED: {
    shape: { win: money('On settle: the win the bet was already settled with.') },
    example: { win: { minor_units: 500, currency: 'EUR' } },
  },
  RATE_LIMITED: {
    shape: { scope: z.enum(['session', 'tenant']).openapi({ description: 'The exhausted bucket.' }) },
    example: { scope: 'session' },
  },
  STALE_TIMESTAMP: {
    shape: {
      server_time: z
        .number()
        .int()
        .openapi({ description: 'Server time, unix ms (when the skew was the cause).' }),
    },
    example: { server_time: 1735689600000 },
  },
  INSUFFICIENT_SCOPE: {
    shape: {
      scope: z.string().openapi({ description: 'The first scope the route requires that the token lacks.' }),
    },
    example: { scope: 'gateway:admin' },
  },
  GEO_BLOCKED: {
    shape: {
      country: z.string().openapi({ description: "The session's country (absent: none was given)." }),
    },
    example: { country: 'US' },
  },
  FEATURE_DISABLED: {
    shape: { feature: z.string().openapi({ description: 'The first feature of the bet that is off.' }) },
    example: { feature: 'bonus_buy' },
  },
  STAKE_OUT_OF_LIMITS: {
    shape: {
      min: z
        .number()
        .int()
        .openapi({ description: 'Lowest stake in minor units (when outside the limits).' }),
      max: z
        .number()
        .int()
        .openapi({ description: 'Highest stake in minor units (when outside the limits).' }),
      denominations: z.array(z.number().int()).openapi({
        description: "The game's coin sizes in minor units (when the stake is no multiple of one).",
      }),
    },
    example: { min: 10, max: 10000, denominations: [10, 50] },
  },
  CHANGE_REQUEST_INVALID: {
    shape: {
      fields: z.array(z.object({ path: z.string(), problem: z.string() })).openapi({
        description: 'Offending paths: `kind` (unknown kind) or `payload.…` (the change itself).',
      }),
    },
    example: { fields: [{ path: 'payload.stake_limits.0.currency', problem: 'an ISO-4217 currency code' }] },
  },
  CHANGE_REQUEST_NOT_PENDING: {
    shape: {
      status: z.string().openapi({ description: 'What became of the request: applied, rejected, …' }),
    },
    example: { status: 'applied' },
  },
  MATH_VERSION_FROZEN: {
    shape: { version: z.string().openapi({ description: 'The certified math version that cannot change.' }) },
    example: { version: '1.2.0' },
  },
  PLAYER_NOT_ELIGIBLE: {
    shape: {
      failures: z
        .array(z.object({ code: z.string(), reason: z.string() }))
        .openapi({ description: 'Every failed eligibility condition: its code (docs/promo.md) and why.' }),
    },
    example: { failures: [{ code: 'KYC_LEVEL_TOO_LOW', reason: 'KYC level 1 is below the required 2' }] },
  },
  OFFER_CONFLICT: {
    shape: {
      blocking_grant_id: z
        .string()
        .openapi({ description: 'The active grant of the same conflict group the player already holds.' }),
    },
    example: { blocking_grant_id: '5b0f7c1e-2d4a-4c39-9d59-6c0f5a1e2b33' },
  },
  GRANT_ALREADY_ENDED: {
    shape: {
      status: z
        .string()
        .openapi({ description: 'How the grant ended: converted, expired, aborted, failed.' }),
    },
    example: { status: 'converted' },
  },
  OFFER_INVALID: {
    shape: {
      fields: z.array(z.object({ path: z.string(), problem: z.string() })).openapi({
        description: 'Each field of the terms that contradicts another or names what does not exist.',
      }),
    },
    example: {
      fields: [{ path: 'params.match_pct', problem: 'a deposit_match offer needs a percentage above 0' }],
    },
  },
  OFFER_VIOLATES_REGULATION: {
    shape: {
      violations: z
        .array(
          z.object({
            licence: z.string(),
            rule: z.string(),
            policy_version: z.number().int(),
            reason: z.string(),
          }),
        )
        .openapi({ description: 'Every jurisdiction rule broken (docs/promo.md#jurisdiction-policies).' }),
    },
    example: {
      violations: [
        {
          licence: 'GB',
          rule: 'GB_WAGERING_ABOVE_10X',
          policy_version: 2,
          reason: 'wagering 35x is above the maximum 10x',
        },
      ],
    },
  },
  OFFER_PENDING_APPROVAL: {
    shape: {
      change_request_id: z.string().uuid().openapi({ description: 'The publish request awaiting approval.' }),
    },
    example: { change_request_id: '6a1f0c7e-3c0e-4d7a-9d7e-0d5c1f2e9b10' },
  },
  OFFER_STATUS_CONFLICT: {
    shape: {
      status: z.string().openapi({ description: "The offer's status: draft, active, paused, retired." }),
    },
    example: { status: 'retired' },
  },
};

/** Codes answered with a `Retry-After` header (seconds): `PitbossError.retryAfterSeconds`. */
export const RETRY_AFTER_CODES: readonly ErrorCode[] = [
  'RATE_LIMITED',
  'TOO_MANY_BETS_IN_FLIGHT',
  'IDEMPOTENCY_IN_PROGRESS',
];

/** The body of an error answer carrying one of `codes`: `{"error": {code, message, retryable, …details}}`. */
export function errorBodySchemaOf(codes: readonly ErrorCode[]) {
  const details = Object.assign(
    {},
    // eslint-disable-next-line security/detect-object-injection -- code is an ErrorCode, a key by type
    ...codes.map((code) => ERROR_DETAILS[code]?.shape ?? {}),
  ) as z.ZodRawShape;
  const optionalDetails = Object.fromEntries(
    Object.entries(details).map(([name, schema]) => [name, schema.optional()]),
  );
  return z.object({
    error: z.object({
      code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
      message: z.string().openapi({ description: 'For humans and logs; branch on `code`, never on this.' }),
      retryable: z.boolean().openapi({
        description: 'The catalogue value for the code: sent again later, the request may succeed.',
      }),
      ...optionalDetails,
    }),
  });
}

/** An answer as the service sends it for `code` (through `errorBodyOf`), with the code's example details. */
export function exampleErrorBody(code: ErrorCode) {
  // eslint-disable-next-line security/detect-object-injection -- code is an ErrorCode, a key by type
  const details = ERROR_DETAILS[code]?.example ?? {};
  // eslint-disable-next-line security/detect-object-injection -- code is an ErrorCode, a key by type
  return errorBodyOf(new PitbossError(code, ERROR_CATALOGUE[code].description, details));
}

/** The error responses of an operation answering `codes`: one per HTTP status, each listing its codes. */
export function errorResponsesOf(codes: readonly ErrorCode[]): Record<string, ResponseConfig> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    // eslint-disable-next-line security/detect-object-injection -- code is an ErrorCode, a key by type
    const status = ERROR_CATALOGUE[code].httpStatus;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const statuses = [...byStatus.keys()].sort((a, b) => a - b);
  return Object.fromEntries(statuses.map((status) => [String(status), errorResponse(byStatus.get(status)!)]));
}

function errorResponse(codes: readonly ErrorCode[]): ResponseConfig {
  const retryAfter = codes.filter((code) => RETRY_AFTER_CODES.includes(code));
  return {
    description: codesTable(codes),
    ...(retryAfter.length > 0
      ? {
          headers: {
            'Retry-After': {
              description: `Seconds to wait before retrying (${retryAfter.join(', ')}).`,
              schema: { type: 'integer', minimum: 1 },
            },
          },
        }
      : {}),
    content: {
      'application/json': {
        schema: errorBodySchemaOf(codes),
        examples: Object.fromEntries(
          codes.map((code) => [code, { summary: code, value: exampleErrorBody(code) }]),
        ),
      },
    },
  };
}

function codesTable(codes: readonly ErrorCode[]): string {
  const rows = codes.map((code) => {
    // eslint-disable-next-line security/detect-object-injection -- code is an ErrorCode, a key by type
    const { retryable, description } = ERROR_CATALOGUE[code];
    return `| \`${code}\` | ${retryable ? 'yes' : 'no'} | ${description.replace(/\|/g, '\\|')} |`;
  });
  return ['| code | retryable | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
