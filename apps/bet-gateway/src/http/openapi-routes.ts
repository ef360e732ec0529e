import { z } from 'zod';

import { auditRouteDoc, changeRequestRouteDocs } from '@pitboss/governance';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '@pitboss/idempotency';
import {
  documentField,
  errorResponsesOf,
  jsonResponse,
  type ResponseConfig,
  type RouteConfig,
} from '@pitboss/openapi';

import { ROUTES } from '../api/bet-commands';
import {
  authorizeBetSchema,
  degradedModeSchema,
  openSessionSchema,
  rollbackBetSchema,
  settleBetSchema,
} from '../api/request-schemas';
import { GAME_CONFIG_DOC, gameConfigRouteDocs } from './openapi-game-config';
import { OPERATION_ERRORS, type OperationId } from './openapi-operation-errors';
import {
  authorizedSchema,
  BET_VIEW_EXAMPLE,
  betStatusSchema,
  betViewSchema,
  CURRENCY_DOC,
  GATEWAY_MODE_EXAMPLE,
  gatewayModeSchema,
  roundViewSchema,
  sessionSchema,
} from './openapi-response-schemas';

// The gateway's operations as zod-to-openapi routes: bodies are the zod schemas that validate the requests.

/** The request bodies as documented: the validating schemas, plus what the generator cannot read off them. */
export const DOCUMENTED_BODIES = {
  openSession: documentField(openSessionSchema, 'currency', CURRENCY_DOC),
  authorizeBet: documentField(authorizeBetSchema, 'amount.currency', CURRENCY_DOC),
  settleBet: documentField(settleBetSchema, 'win.currency', CURRENCY_DOC),
  rollbackBet: rollbackBetSchema,
  switchMode: degradedModeSchema,
} satisfies Partial<Record<OperationId, z.AnyZodObject>>;

// HMAC-SHA256 with the tenant secret, or Ed25519 with a registered key (X-Key-Id).
const SIGNED: Record<string, string[]>[] = [
  { tenantId: [], timestamp: [], signature: [] },
  { tenantId: [], timestamp: [], keyId: [], signature: [] },
];
const ADMIN = [{ operatorToken: ['gateway:admin'] }];

const TRACE_HEADERS = {
  traceparent: z.string().optional().openapi({
    description: 'W3C trace context; carried into every event the call produces.',
    example: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  }),
  'X-Trace-Id': z
    .string()
    .regex(/^[0-9a-fA-F]{32}$/)
    .optional()
    .openapi({
      description: 'Used when there is no valid traceparent: 32 hex characters, continued as the trace id.',
    }),
};

const IDEMPOTENCY_KEY = z
  .string()
  .min(1)
  .max(MAX_IDEMPOTENCY_KEY_LENGTH)
  // eslint-disable-next-line security/detect-unsafe-regex -- linear: anchored, one star (libs/idempotency checks the 255 limit before this rule)
  .regex(/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/)
  .openapi({
    description:
      'Scoped per tenant and route; reuse it only to retry the same request (same body). Kept 30 days.',
  });

const REPLAYED = {
  description: '`true` when this is the stored answer of an earlier request with the same idempotency key.',
  schema: { type: 'string' as const, enum: ['true'] },
};

interface CommandDoc {
  readonly operationId: OperationId;
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly description: string;
  readonly body: z.AnyZodObject;
  readonly example: object;
  readonly responses: Record<string, ResponseConfig>;
}

/** A signed, idempotent POST whose body is validated by `body`. */
function command({
  operationId,
  path,
  tag,
  summary,
  description,
  body,
  example,
  responses,
}: CommandDoc): RouteConfig {
  const success = Object.entries(responses).map(([status, response]) => [
    status,
    { ...response, headers: { ...(response.headers as object), 'Idempotent-Replayed': REPLAYED } },
  ]);
  return {
    method: 'post',
    path,
    operationId,
    tags: [tag],
    summary,
    description,
    security: SIGNED,
    request: {
      headers: z.object({ 'X-Idempotency-Key': IDEMPOTENCY_KEY, ...TRACE_HEADERS }),
      body: { required: true, content: { 'application/json': { schema: body, example } } },
    },
    // eslint-disable-next-line security/detect-object-injection -- operationId is a key of OPERATION_ERRORS by type
    responses: { ...Object.fromEntries(success), ...errorResponsesOf(OPERATION_ERRORS[operationId]) },
  };
}

// eslint-disable-next-line security/detect-object-injection -- name is one of two literal field names
const pathId = (name: 'bet_id' | 'round_id') => z.object({ [name]: authorizeBetSchema.shape[name] });

export const ROUTE_DOCS: RouteConfig[] = [
  command({
    operationId: 'openSession',
    path: ROUTES.openSession,
    tag: 'sessions',
    summary: 'Open a game session',
    description:
      'Opens a session for a player and game in one currency. Bets need a session that has not expired ' +
      '(SESSION_TTL_MS, default 30 minutes). Refused with NO_NEW_SESSIONS in degraded mode.',
    body: DOCUMENTED_BODIES.openSession,
    example: { player_id: 'player-42', game_id: 'starburst', currency: 'EUR' },
    responses: {
      '201': jsonResponse('Session opened.', sessionSchema, {
        session_id: '0b6f1c2e-7d0a-4c1e-9a57-2f0d9e3b8c41',
        expires_at: '2025-01-01T00:30:00.000Z',
      }),
    },
  }),
  command({
    operationId: 'authorizeBet',
    path: ROUTES.authorize,
    tag: 'bets',
    summary: 'Authorize a bet (debit the stake)',
    description:
      'Records the bet and debits the stake from the wallet (key derived from the bet_id, so the wallet moves ' +
      'the money at most once). A `bet_id` seen before answers as it did the first time, whatever the ' +
      'idempotency key; with different terms it is DUPLICATE_BET_ID. Checks, in order: session (exists, is the ' +
      "player's, not expired), game, currency, player blocked, self-exclusion, bonus grant, then the wallet. " +
      'WALLET_UNAVAILABLE means the debit was uncertain and is being rolled back: that bet_id is burnt. A bet ' +
      'naming `entitlement_id` (free spins, free bets) is not debited: it takes one token of the entitlement, once ' +
      'per bet_id, and answers `balance: null`; its stake must be the entitlement’s bet value. Its rollback gives ' +
      'the token back.',
    body: DOCUMENTED_BODIES.authorizeBet,
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
      '200': jsonResponse('The stake was debited (or an entitlement token taken).', authorizedSchema, {
        status: 'authorized',
        bet_id: 'bet-1',
        balance: { minor_units: 9750, currency: 'EUR' },
      }),
    },
  }),
  command({
    operationId: 'settleBet',
    path: ROUTES.settle,
    tag: 'bets',
    summary: 'Settle a bet (credit the win)',
    description:
      'Accepts the settlement of an authorized bet; the win (0 for a loss) is credited asynchronously and ' +
      'never dropped. Session expiry is not checked. The first answer is 202 `pending_credit`; the same win ' +
      'again under a new idempotency key answers the current status (200 `credited` or `compensated`, or 202 ' +
      'while pending); the same key replays the first answer. Follow the outcome with GET /v1/bets/{bet_id}.',
    body: DOCUMENTED_BODIES.settleBet,
    example: { bet_id: 'bet-1', round_id: 'round-1', win: { minor_units: 500, currency: 'EUR' } },
    responses: {
      '200': jsonResponse(
        'Already settled with this win; the credit is done.',
        betStatusSchema(['credited', 'compensated']),
        { status: 'credited', bet_id: 'bet-1' },
      ),
      '202': jsonResponse(
        'Settlement accepted; the win is being credited.',
        betStatusSchema(['pending_credit']),
        {
          status: 'pending_credit',
          bet_id: 'bet-1',
        },
      ),
    },
  }),
  command({
    operationId: 'rollbackBet',
    path: ROUTES.rollback,
    tag: 'bets',
    summary: 'Roll back a bet (return the stake)',
    description:
      'Cancels a bet that has no settlement: the stake is returned asynchronously (202 `rollback_pending`). ' +
      'A bet never seen is rolled back at once (200 `rolled_back`) and its bet_id tombstoned, so the bet ' +
      'arriving later is refused. A refused or already rolled back bet answers 200 `rolled_back`. After a ' +
      'settlement was accepted: 409 BET_ALREADY_SETTLED.',
    body: DOCUMENTED_BODIES.rollbackBet,
    example: { bet_id: 'bet-1', reason: 'round cancelled by the game' },
    responses: {
      '200': jsonResponse(
        'Rolled back (nothing was, or is any longer, debited).',
        betStatusSchema(['rolled_back']),
        { status: 'rolled_back', bet_id: 'bet-1' },
      ),
      '202': jsonResponse(
        'Rollback accepted; the stake is being returned.',
        betStatusSchema(['rollback_pending']),
        {
          status: 'rollback_pending',
          bet_id: 'bet-1',
        },
      ),
    },
  }),
  {
    method: 'get',
    path: '/v1/bets/{bet_id}',
    operationId: 'getBet',
    tags: ['bets'],
    summary: 'Read a bet',
    description:
      'The bet, its current status and its history. A tombstone (rollback of a bet never seen) reads as ' +
      '`rolled_back` with null terms.',
    security: SIGNED,
    request: { params: pathId('bet_id'), headers: z.object(TRACE_HEADERS) },
    responses: {
      '200': jsonResponse('The bet.', betViewSchema, BET_VIEW_EXAMPLE),
      ...errorResponsesOf(OPERATION_ERRORS.getBet),
    },
  },
  {
    method: 'get',
    path: '/v1/rounds/{round_id}',
    operationId: 'getRound',
    tags: ['bets'],
    summary: "Read a round's bets",
    description: 'Every bet placed in the round (up to 500), by bet_id.',
    security: SIGNED,
    request: { params: pathId('round_id'), headers: z.object(TRACE_HEADERS) },
    responses: {
      '200': jsonResponse('The round.', roundViewSchema, { round_id: 'round-1', bets: [BET_VIEW_EXAMPLE] }),
      ...errorResponsesOf(OPERATION_ERRORS.getRound),
    },
  },
  {
    method: 'get',
    path: '/v1/admin/mode',
    operationId: 'getMode',
    tags: ['admin'],
    summary: 'Read the degraded mode',
    description: 'Whether new sessions are refused, why, and the settlement backlog per tenant behind it.',
    security: ADMIN,
    responses: {
      '200': jsonResponse('The mode.', gatewayModeSchema, GATEWAY_MODE_EXAMPLE),
      ...errorResponsesOf(OPERATION_ERRORS.getMode),
    },
  },
  {
    method: 'put',
    path: '/v1/admin/mode',
    operationId: 'switchMode',
    tags: ['admin'],
    summary: 'Switch "no new sessions" on or off',
    description:
      'Kept in Postgres, so every replica agrees. Switching it off does not end the automatic mode while the ' +
      'settlement backlog is above DEGRADED_BACKLOG_THRESHOLD.',
    security: ADMIN,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: DOCUMENTED_BODIES.switchMode,
            example: { no_new_sessions: true, reason: 'wallet maintenance 02:00-02:30 UTC' },
          },
        },
      },
    },
    responses: {
      '200': jsonResponse('The mode after the switch.', gatewayModeSchema, GATEWAY_MODE_EXAMPLE),
      ...errorResponsesOf(OPERATION_ERRORS.switchMode),
    },
  },
  auditRouteDoc(OPERATION_ERRORS.listAudit, [{ operatorToken: ['audit:read'] }]),
  ...changeRequestRouteDocs({ kinds: [GAME_CONFIG_DOC], errors: OPERATION_ERRORS, scheme: 'operatorToken' }),
  ...gameConfigRouteDocs(OPERATION_ERRORS),
];
