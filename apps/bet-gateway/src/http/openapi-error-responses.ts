import { type ResponseObject, type SchemaObject } from '@nestjs/swagger';

import { ERROR_CATALOGUE, type ErrorCode } from '@pitboss/contracts';

export type OperationId =
  | 'openSession'
  | 'authorizeBet'
  | 'settleBet'
  | 'rollbackBet'
  | 'getBet'
  | 'getRound'
  | 'getMode'
  | 'switchMode';

// Error codes by where they come from, in the order the gateway checks: body parser, signature guard, rate
// limiter and validation, idempotency record, then the handler.
const BODY: ErrorCode[] = ['INVALID_REQUEST', 'PAYLOAD_TOO_LARGE'];
const SIGNED: ErrorCode[] = ['UNKNOWN_TENANT', 'STALE_TIMESTAMP', 'INVALID_SIGNATURE', 'RATE_LIMITED'];
const IDEMPOTENT: ErrorCode[] = [
  'IDEMPOTENCY_KEY_MISSING',
  'IDEMPOTENCY_KEY_INVALID',
  'IDEMPOTENCY_MISMATCH',
  'IDEMPOTENCY_IN_PROGRESS',
];
const ANY: ErrorCode[] = ['INTERNAL_ERROR'];

/** Every error code each operation can answer (read off the handlers and the betting-domain deciders). */
export const OPERATION_ERRORS: Record<OperationId, readonly ErrorCode[]> = {
  openSession: [...BODY, ...SIGNED, ...IDEMPOTENT, 'NO_NEW_SESSIONS', ...ANY],
  authorizeBet: [
    ...BODY,
    ...SIGNED,
    ...IDEMPOTENT,
    'SESSION_NOT_FOUND',
    'SESSION_EXPIRED',
    'CURRENCY_MISMATCH',
    'PLAYER_BLOCKED',
    'SELF_EXCLUDED',
    'BONUS_NOT_ACTIVE',
    'BONUS_MAX_BET_EXCEEDED',
    'DUPLICATE_BET_ID',
    'BET_ALREADY_ROLLED_BACK',
    'INSUFFICIENT_FUNDS',
    'PLAYER_NOT_FOUND',
    'TOO_MANY_BETS_IN_FLIGHT',
    'WALLET_UNAVAILABLE',
    ...ANY,
  ],
  settleBet: [
    ...BODY,
    ...SIGNED,
    ...IDEMPOTENT,
    'BET_NOT_FOUND',
    'BET_ALREADY_ROLLED_BACK',
    'BET_ALREADY_SETTLED',
    'CURRENCY_MISMATCH',
    ...ANY,
  ],
  rollbackBet: [...BODY, ...SIGNED, ...IDEMPOTENT, 'BET_ALREADY_SETTLED', ...ANY],
  getBet: ['INVALID_REQUEST', ...SIGNED, 'BET_NOT_FOUND', ...ANY],
  getRound: ['INVALID_REQUEST', ...SIGNED, 'ROUND_NOT_FOUND', ...ANY],
  // Admin calls are authenticated by bearer token; a wrong token answers INVALID_SIGNATURE.
  getMode: ['INVALID_REQUEST', 'INVALID_SIGNATURE', ...ANY],
  switchMode: [...BODY, 'INVALID_SIGNATURE', ...ANY],
};

const MONEY_EXAMPLE = { minor_units: 120, currency: 'EUR' };

/** The details some codes add to the error object, beside `code`, `message` and `retryable`. */
const DETAILS: Partial<Record<ErrorCode, { schema: Record<string, SchemaObject>; example: object }>> = {
  INVALID_REQUEST: {
    schema: {
      fields: {
        type: 'array',
        description:
          'Offending fields: `{path, problem}` for body validation (`amount.minor_units`, `(body)` for the ' +
          'whole body), or header names (`content-type`).',
        items: {
          oneOf: [
            {
              type: 'object',
              properties: { path: { type: 'string' }, problem: { type: 'string' } },
              required: ['path', 'problem'],
            },
            { type: 'string' },
          ],
        },
      },
    },
    example: { fields: [{ path: 'amount.minor_units', problem: 'Expected integer, received float' }] },
  },
  INSUFFICIENT_FUNDS: {
    schema: { balance: moneySchema('The actual balance (when the wallet reported it).') },
    example: { balance: MONEY_EXAMPLE },
  },
  BONUS_MAX_BET_EXCEEDED: {
    schema: { max_bet: moneySchema("The grant's maximum stake.") },
    example: { max_bet: { minor_units: 500, currency: 'EUR' } },
  },
  BET_ALREADY_SETTLED: {
    schema: { win: moneySchema('On settle: the win the bet was already settled with.') },
    example: { win: { minor_units: 500, currency: 'EUR' } },
  },
  RATE_LIMITED: {
    schema: { scope: { type: 'string', enum: ['session', 'tenant'], description: 'The exhausted bucket.' } },
    example: { scope: 'session' },
  },
  STALE_TIMESTAMP: {
    schema: {
      server_time: { type: 'integer', description: 'Server time, unix ms (when the skew was the cause).' },
    },
    example: { server_time: 1735689600000 },
  },
};

/** Codes answered with a `Retry-After` header (seconds). */
const RETRY_AFTER: readonly ErrorCode[] = [
  'RATE_LIMITED',
  'TOO_MANY_BETS_IN_FLIGHT',
  'IDEMPOTENCY_IN_PROGRESS',
];

/** The error responses of an operation, one per HTTP status, each listing its codes from the catalogue. */
export function errorResponsesOf(operation: OperationId): Record<string, ResponseObject> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of OPERATION_ERRORS[operation]) {
    const status = ERROR_CATALOGUE[code].httpStatus;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const statuses = [...byStatus.keys()].sort((a, b) => a - b);
  return Object.fromEntries(statuses.map((status) => [String(status), errorResponse(byStatus.get(status)!)]));
}

function errorResponse(codes: readonly ErrorCode[]): ResponseObject {
  const retryAfter = codes.some((code) => RETRY_AFTER.includes(code));
  return {
    description: codesTable(codes),
    ...(retryAfter
      ? {
          headers: {
            'Retry-After': {
              description: `Seconds to wait before retrying (${codes.filter((c) => RETRY_AFTER.includes(c)).join(', ')}).`,
              schema: { type: 'integer', minimum: 1 },
            },
          },
        }
      : {}),
    content: {
      'application/json': {
        schema: errorBodySchema(codes),
        examples: Object.fromEntries(
          codes.map((code) => [
            code,
            {
              summary: code,
              value: {
                error: {
                  code,
                  message: ERROR_CATALOGUE[code].description,
                  retryable: ERROR_CATALOGUE[code].retryable,
                  ...DETAILS[code]?.example,
                },
              },
            },
          ]),
        ),
      },
    },
  };
}

function codesTable(codes: readonly ErrorCode[]): string {
  const rows = codes.map((code) => {
    const { retryable, description } = ERROR_CATALOGUE[code];
    return `| \`${code}\` | ${retryable ? 'yes' : 'no'} | ${description.replace(/\|/g, '\\|')} |`;
  });
  return ['| code | retryable | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

function errorBodySchema(codes: readonly ErrorCode[]): SchemaObject {
  const details = Object.assign({}, ...codes.map((code) => DETAILS[code]?.schema ?? {})) as Record<
    string,
    SchemaObject
  >;
  return {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'retryable'],
        properties: {
          code: { type: 'string', enum: [...codes] },
          message: { type: 'string', description: 'For humans and logs; branch on `code`, never on this.' },
          retryable: {
            type: 'boolean',
            description: 'The catalogue value for the code: sent again later, the request may succeed.',
          },
          ...details,
        },
      },
    },
  };
}

function moneySchema(description: string): SchemaObject {
  return {
    type: 'object',
    description,
    required: ['minor_units', 'currency'],
    properties: {
      minor_units: { type: 'integer' },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    },
  };
}
