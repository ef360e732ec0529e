import {
  type HeaderObject,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';

import { type PublicBetStatus } from '@pitboss/betting-domain';

import { ROUTES } from '../api/bet-commands';
import {
  authorizeBetSchema,
  degradedModeSchema,
  openSessionSchema,
  rollbackBetSchema,
  settleBetSchema,
} from '../api/request-schemas';
import { errorResponsesOf, type OperationId } from './openapi-error-responses';
import { jsonSchemaOf } from './openapi-zod-schema';

/** Where the gateway serves the document and the UI (see api-docs.ts). */
export const API_DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

const RULES = `
The aggregator API of Pitboss's bet-gateway. Integration guide: \`docs/aggregator-guide.md\` in the repository.
The same operations, fields and error codes are served over gRPC (\`pitboss.gateway.v1.BetGateway\`).

**Authentication.** Every \`/v1\` call except \`/v1/admin\` is signed: \`X-Tenant-Id\`, \`X-Timestamp\` (unix ms,
within 5 minutes of server time) and \`X-Signature\` = 64 lower-case hex characters (upper case is refused): the
HMAC-SHA256 with the tenant secret of \`timestamp + "." + METHOD + "." + path (with query, as sent) + "." +
X-Idempotency-Key (empty if none) + "." + raw body bytes\`. The key is signed so that a captured request cannot be
replayed under a new key. "Try it out" cannot sign; use \`tools/examples/sign-request.ts\` or the guide's curl
recipe.

**Idempotency.** Every POST needs \`X-Idempotency-Key\` (1-255 printable ASCII), scoped per tenant and route. The
same key with the same body replays the first answer with \`Idempotent-Replayed: true\`; with another body it is
422 \`IDEMPOTENCY_MISMATCH\`; while the first is still running, 409 \`IDEMPOTENCY_IN_PROGRESS\` with
\`Retry-After\`. 5xx and 429 answers are not stored: a retry with the same key executes again.

**Rules of the bet lifecycle.**
- Session expiry is checked on authorize only: a round that started keeps settling and rolling back after its
  session expired.
- A debit the wallet did not confirm (timeout, 5xx, circuit open) is rolled back automatically and answered
  503 \`WALLET_UNAVAILABLE\`. That \`bet_id\` is burnt: every later authorize of it answers the same; place the bet
  again under a new \`bet_id\`.
- Rolling back a bet never seen is a success (200 \`rolled_back\`) and tombstones the \`bet_id\`: the bet
  arriving later is refused with \`BET_ALREADY_ROLLED_BACK\`.
- Once a settlement was accepted the bet cannot be rolled back (409 \`BET_ALREADY_SETTLED\`): the win is owed
  and is credited or compensated, never dropped.
- Settle answers 202 \`pending_credit\` (the win is credited asynchronously); settling again with the same win
  under a new idempotency key answers the current status (200 \`credited\` or \`compensated\`); another win is
  409 \`BET_ALREADY_SETTLED\`.
- 429 \`RATE_LIMITED\` carries \`Retry-After\` (seconds); authorize is charged to the session's bucket and the
  tenant's, every other call to the tenant's.
- Degraded mode: while the operator switched it on, or the settlement backlog is above its threshold, opening a
  session answers 503 \`NO_NEW_SESSIONS\`; running rounds keep betting, settling and rolling back.

**Money** is \`{minor_units, currency}\`: an integer number of minor units (cents) of an ISO-4217 currency,
never a float. **Times** are RFC 3339 UTC.
`.trim();

const SIGNED: Array<Record<string, string[]>> = [{ tenantId: [], timestamp: [], signature: [] }];
const ADMIN: Array<Record<string, string[]>> = [{ adminToken: [] }];

/** The OpenAPI 3.0 document of the aggregator API, request bodies derived from the zod schemas. */
export function buildOpenApiDocument(): OpenAPIObject {
  return {
    openapi: '3.0.3',
    info: { title: 'Pitboss bet-gateway API', version: '1.0.0', description: RULES },
    servers: [{ url: '/', description: 'this gateway' }],
    tags: [
      { name: 'sessions', description: 'Game sessions: where bets are placed.' },
      {
        name: 'bets',
        description: 'Authorize (debit), settle (credit), roll back, and read bets and rounds.',
      },
      { name: 'admin', description: 'Operator calls (bearer GATEWAY_ADMIN_TOKEN), not for aggregators.' },
    ],
    paths: {
      [ROUTES.openSession]: { post: openSession() },
      [ROUTES.authorize]: { post: authorizeBet() },
      [ROUTES.settle]: { post: settleBet() },
      [ROUTES.rollback]: { post: rollbackBet() },
      '/v1/bets/{bet_id}': { get: getBet() },
      '/v1/rounds/{round_id}': { get: getRound() },
      '/v1/admin/mode': { get: getMode(), put: switchMode() },
    },
    components: {
      securitySchemes: {
        tenantId: { type: 'apiKey', in: 'header', name: 'X-Tenant-Id', description: 'The tenant id.' },
        timestamp: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Timestamp',
          description: 'Request time in unix milliseconds, digits only; at most 5 minutes from server time.',
        },
        signature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Signature',
          description:
            'Lower-case hex HMAC-SHA256 of `timestamp.METHOD.path.idempotencyKey.rawBody` (see the description).',
        },
        adminToken: { type: 'http', scheme: 'bearer', description: 'GATEWAY_ADMIN_TOKEN.' },
      },
      schemas: {
        Money: { ...MONEY, description: 'Integer minor units of an ISO-4217 currency.' },
        BetView: BET_VIEW,
        GatewayMode: GATEWAY_MODE,
      },
    },
  };
}

function openSession(): OperationObject {
  return command('openSession', 'sessions', 'Open a game session', openSessionSchema, {
    description:
      'Opens a session for a player and game in one currency. Bets need a session that has not expired ' +
      '(SESSION_TTL_MS, default 30 minutes). Refused with NO_NEW_SESSIONS in degraded mode.',
    example: { player_id: 'player-42', game_id: 'starburst', currency: 'EUR' },
    responses: {
      '201': json('Session opened.', SESSION, {
        session_id: '0b6f1c2e-7d0a-4c1e-9a57-2f0d9e3b8c41',
        expires_at: '2025-01-01T00:30:00.000Z',
      }),
    },
  });
}

function authorizeBet(): OperationObject {
  return command('authorizeBet', 'bets', 'Authorize a bet (debit the stake)', authorizeBetSchema, {
    description:
      'Records the bet and debits the stake from the wallet (key derived from the bet_id, so the wallet moves ' +
      'the money at most once). A `bet_id` seen before answers as it did the first time, whatever the ' +
      'idempotency key; with different terms it is DUPLICATE_BET_ID. Checks, in order: session (exists, is the ' +
      "player's, not expired), currency, player blocked, self-exclusion, bonus grant, then the wallet. " +
      'WALLET_UNAVAILABLE means the debit was uncertain and is being rolled back: that bet_id is burnt.',
    example: {
      bet_id: 'bet-1',
      round_id: 'round-1',
      session_id: '0b6f1c2e-7d0a-4c1e-9a57-2f0d9e3b8c41',
      player_id: 'player-42',
      game_id: 'starburst',
      game_type: 'slot',
      amount: { minor_units: 250, currency: 'EUR' },
      bonus_grant_id: null,
    },
    responses: {
      '200': json('The stake was debited.', AUTHORIZED, {
        status: 'authorized',
        bet_id: 'bet-1',
        balance: { minor_units: 9750, currency: 'EUR' },
      }),
    },
  });
}

function settleBet(): OperationObject {
  return command('settleBet', 'bets', 'Settle a bet (credit the win)', settleBetSchema, {
    description:
      'Accepts the settlement of an authorized bet; the win (0 for a loss) is credited asynchronously and ' +
      'never dropped. Session expiry is not checked. The first answer is 202 `pending_credit`; the same win ' +
      'again under a new idempotency key answers the current status (200 `credited` or `compensated`, or 202 ' +
      'while pending); the same key replays the first answer. Follow the outcome with GET /v1/bets/{bet_id}.',
    example: { bet_id: 'bet-1', round_id: 'round-1', win: { minor_units: 500, currency: 'EUR' } },
    responses: {
      '200': json(
        'Already settled with this win; the credit is done.',
        betStatus(['credited', 'compensated']),
        {
          status: 'credited',
          bet_id: 'bet-1',
        },
      ),
      '202': json('Settlement accepted; the win is being credited.', betStatus(['pending_credit']), {
        status: 'pending_credit',
        bet_id: 'bet-1',
      }),
    },
  });
}

function rollbackBet(): OperationObject {
  return command('rollbackBet', 'bets', 'Roll back a bet (return the stake)', rollbackBetSchema, {
    description:
      'Cancels a bet that has no settlement: the stake is returned asynchronously (202 `rollback_pending`). ' +
      'A bet never seen is rolled back at once (200 `rolled_back`) and its bet_id tombstoned, so the bet ' +
      'arriving later is refused. A refused or already rolled back bet answers 200 `rolled_back`. After a ' +
      'settlement was accepted: 409 BET_ALREADY_SETTLED.',
    example: { bet_id: 'bet-1', reason: 'round cancelled by the game' },
    responses: {
      '200': json('Rolled back (nothing was, or is any longer, debited).', betStatus(['rolled_back']), {
        status: 'rolled_back',
        bet_id: 'bet-1',
      }),
      '202': json('Rollback accepted; the stake is being returned.', betStatus(['rollback_pending']), {
        status: 'rollback_pending',
        bet_id: 'bet-1',
      }),
    },
  });
}

function getBet(): OperationObject {
  return {
    operationId: 'getBet',
    tags: ['bets'],
    summary: 'Read a bet',
    description:
      'The bet, its current status and its history. A tombstone (rollback of a bet never seen) reads as ' +
      '`rolled_back` with null terms.',
    security: SIGNED,
    parameters: [pathId('bet_id'), ...TRACE_HEADERS],
    responses: {
      '200': json('The bet.', { $ref: '#/components/schemas/BetView' } as SchemaObject, BET_VIEW_EXAMPLE),
      ...errorResponsesOf('getBet'),
    },
  };
}

function getRound(): OperationObject {
  return {
    operationId: 'getRound',
    tags: ['bets'],
    summary: "Read a round's bets",
    description: 'Every bet placed in the round (up to 500), by bet_id.',
    security: SIGNED,
    parameters: [pathId('round_id'), ...TRACE_HEADERS],
    responses: {
      '200': json('The round.', ROUND_VIEW, { round_id: 'round-1', bets: [BET_VIEW_EXAMPLE] }),
      ...errorResponsesOf('getRound'),
    },
  };
}

function getMode(): OperationObject {
  return {
    operationId: 'getMode',
    tags: ['admin'],
    summary: 'Read the degraded mode',
    security: ADMIN,
    responses: {
      '200': json('The mode.', GATEWAY_MODE_REF, GATEWAY_MODE_EXAMPLE),
      ...errorResponsesOf('getMode'),
    },
  };
}

function switchMode(): OperationObject {
  return {
    operationId: 'switchMode',
    tags: ['admin'],
    summary: 'Switch "no new sessions" on or off',
    description:
      'Kept in Postgres, so every replica agrees. Switching it off does not end the automatic mode while the ' +
      'settlement backlog is above DEGRADED_BACKLOG_THRESHOLD.',
    security: ADMIN,
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: jsonSchemaOf(degradedModeSchema),
          example: { no_new_sessions: true, reason: 'wallet maintenance 02:00-02:30 UTC' },
        },
      },
    },
    responses: {
      '200': json('The mode after the switch.', GATEWAY_MODE_REF, GATEWAY_MODE_EXAMPLE),
      ...errorResponsesOf('switchMode'),
    },
  };
}

interface CommandDoc {
  readonly description: string;
  readonly example: object;
  readonly responses: Record<string, ResponseObject>;
}

/** A signed, idempotent POST whose body is validated by `schema`. */
function command(
  operationId: OperationId,
  tag: string,
  summary: string,
  schema: Parameters<typeof jsonSchemaOf>[0],
  { description, example, responses }: CommandDoc,
): OperationObject {
  const success = Object.fromEntries(
    Object.entries(responses).map(([status, response]) => [
      status,
      { ...response, headers: { ...response.headers, 'Idempotent-Replayed': REPLAYED } },
    ]),
  );
  return {
    operationId,
    tags: [tag],
    summary,
    description,
    security: SIGNED,
    parameters: [IDEMPOTENCY_KEY, ...TRACE_HEADERS],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: jsonSchemaOf(schema), example } },
    },
    responses: { ...success, ...errorResponsesOf(operationId) },
  };
}

function json(description: string, schema: SchemaObject, example: unknown): ResponseObject {
  return { description, content: { 'application/json': { schema, example } } };
}

function pathId(name: 'bet_id' | 'round_id'): ParameterObject {
  return { name, in: 'path', required: true, schema: jsonSchemaOf(authorizeBetSchema.shape[name]) };
}

const REPLAYED: HeaderObject = {
  description: '`true` when this is the stored answer of an earlier request with the same idempotency key.',
  schema: { type: 'string', enum: ['true'] },
};

const IDEMPOTENCY_KEY: ParameterObject = {
  name: 'X-Idempotency-Key',
  in: 'header',
  required: true,
  description:
    'Scoped per tenant and route; reuse it only to retry the same request (same body). Kept 30 days.',
  schema: {
    type: 'string',
    minLength: 1,
    maxLength: 255,
    pattern: '^[\\x21-\\x7e](?:[\\x20-\\x7e]*[\\x21-\\x7e])?$',
  },
};

const TRACE_HEADERS: ParameterObject[] = [
  {
    name: 'traceparent',
    in: 'header',
    required: false,
    description: 'W3C trace context; carried into every event the call produces.',
    schema: { type: 'string', example: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
  },
  {
    name: 'X-Trace-Id',
    in: 'header',
    required: false,
    description: 'Used when there is no valid traceparent: 32 hex characters, continued as the trace id.',
    schema: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' },
  },
];

const MONEY: SchemaObject = jsonSchemaOf(settleBetSchema.shape.win);
const MONEY_REF = { $ref: '#/components/schemas/Money' } as SchemaObject;
const NULLABLE_MONEY: SchemaObject = { allOf: [MONEY_REF], nullable: true };

const SESSION: SchemaObject = {
  type: 'object',
  required: ['session_id', 'expires_at'],
  properties: {
    session_id: { type: 'string', format: 'uuid' },
    expires_at: {
      type: 'string',
      format: 'date-time',
      description: 'Authorize refuses the session after this.',
    },
  },
};

const AUTHORIZED: SchemaObject = {
  type: 'object',
  required: ['status', 'bet_id', 'balance'],
  properties: {
    status: { type: 'string', enum: ['authorized'] },
    bet_id: { type: 'string' },
    balance: {
      ...NULLABLE_MONEY,
      description: "The player's balance after the debit, as the wallet reported it.",
    },
  },
};

function betStatus(statuses: readonly PublicBetStatus[]): SchemaObject {
  return {
    type: 'object',
    required: ['status', 'bet_id'],
    properties: { status: { type: 'string', enum: [...statuses] }, bet_id: { type: 'string' } },
  };
}

/** Every status GET /v1/bets answers: the public ones plus `debit_pending` while the wallet call is in flight. */
const BET_STATUSES = [
  'debit_pending',
  'authorized',
  'rejected',
  'rollback_pending',
  'rolled_back',
  'pending_credit',
  'credited',
  'compensated',
] as const;
// Compile-time guard: a new public status fails the build until it is documented here.
type Undocumented = Exclude<PublicBetStatus, (typeof BET_STATUSES)[number]>;
const everyStatusDocumented: [Undocumented] extends [never] ? true : never = true;
void everyStatusDocumented;

const NULLABLE_STRING: SchemaObject = { type: 'string', nullable: true };

const BET_VIEW: SchemaObject = {
  type: 'object',
  required: ['bet_id', 'status', 'history'],
  properties: {
    bet_id: { type: 'string' },
    round_id: NULLABLE_STRING,
    session_id: NULLABLE_STRING,
    player_id: NULLABLE_STRING,
    game_id: NULLABLE_STRING,
    game_type: NULLABLE_STRING,
    amount: NULLABLE_MONEY,
    win: { ...NULLABLE_MONEY, description: 'The accepted win, once settled.' },
    bonus_grant_id: NULLABLE_STRING,
    status: {
      type: 'string',
      enum: [...BET_STATUSES],
      description:
        '`debit_pending`: the wallet call is in flight; `rejected`: the wallet refused (no money moved); ' +
        '`rollback_pending` → `rolled_back`; `pending_credit` → `credited` | `compensated`.',
    },
    history: {
      type: 'array',
      description: "The bet's events, oldest first (`bet.debit_requested`, `bet.authorized`, …).",
      items: {
        type: 'object',
        required: ['type', 'occurred_at', 'data'],
        properties: {
          type: { type: 'string' },
          occurred_at: { type: 'string', format: 'date-time' },
          data: { type: 'object', additionalProperties: true },
        },
      },
    },
  },
};

const BET_VIEW_EXAMPLE = {
  bet_id: 'bet-1',
  round_id: 'round-1',
  session_id: '0b6f1c2e-7d0a-4c1e-9a57-2f0d9e3b8c41',
  player_id: 'player-42',
  game_id: 'starburst',
  game_type: 'slot',
  amount: { minor_units: 250, currency: 'EUR' },
  win: { minor_units: 500, currency: 'EUR' },
  bonus_grant_id: null,
  status: 'credited',
  history: [
    { type: 'bet.debit_requested', occurred_at: '2025-01-01T00:00:00.120Z', data: { bet_id: 'bet-1' } },
    { type: 'bet.authorized', occurred_at: '2025-01-01T00:00:00.180Z', data: { bet_id: 'bet-1' } },
    { type: 'settlement.requested', occurred_at: '2025-01-01T00:00:03.020Z', data: { bet_id: 'bet-1' } },
    { type: 'bet.credit_confirmed', occurred_at: '2025-01-01T00:00:03.400Z', data: { bet_id: 'bet-1' } },
  ],
};

const ROUND_VIEW: SchemaObject = {
  type: 'object',
  required: ['round_id', 'bets'],
  properties: {
    round_id: { type: 'string' },
    bets: { type: 'array', items: { $ref: '#/components/schemas/BetView' } },
  },
};

const GATEWAY_MODE: SchemaObject = {
  type: 'object',
  required: ['noNewSessions', 'source', 'reason', 'settlementBacklog'],
  properties: {
    noNewSessions: { type: 'boolean' },
    source: {
      type: 'string',
      nullable: true,
      enum: ['manual', 'backlog', null],
      description:
        '`manual`: an operator switched it; `backlog`: too many settlements wait for their credit.',
    },
    reason: { type: 'string' },
    settlementBacklog: { type: 'integer', description: 'Settlements accepted and not yet credited.' },
  },
};
const GATEWAY_MODE_REF = { $ref: '#/components/schemas/GatewayMode' } as SchemaObject;
const GATEWAY_MODE_EXAMPLE = {
  noNewSessions: true,
  source: 'manual',
  reason: 'wallet maintenance 02:00-02:30 UTC',
  settlementBacklog: 3,
};
