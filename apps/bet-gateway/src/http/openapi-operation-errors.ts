import { type ErrorCode } from '@pitboss/contracts';
import { type ChangeRequestOperation } from '@pitboss/governance';

export type OperationId =
  | 'openSession'
  | 'authorizeBet'
  | 'settleBet'
  | 'rollbackBet'
  | 'getBet'
  | 'getRound'
  | 'getMode'
  | 'switchMode'
  | 'listAudit'
  | ChangeRequestOperation
  | 'getGameConfig'
  | 'listGameConfigVersions';

// Error codes by where they come from, in the order the gateway checks: body parser, signature guard, rate
// limiter and validation, idempotency record, then the handler.
const BODY: ErrorCode[] = ['INVALID_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];
const SIGNED: ErrorCode[] = [
  'TENANT_WRONG_REGION',
  'UNKNOWN_TENANT',
  'STALE_TIMESTAMP',
  'INVALID_SIGNATURE',
  'RATE_LIMITED',
];
const IDEMPOTENT: ErrorCode[] = [
  'IDEMPOTENCY_KEY_MISSING',
  'IDEMPOTENCY_KEY_INVALID',
  'IDEMPOTENCY_MISMATCH',
  'IDEMPOTENCY_IN_PROGRESS',
];
// Operator routes: bearer token (libs/auth), then its tenant, then its scope; the JWKS may be unreachable.
const BEARER: ErrorCode[] = [
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TENANT_MISMATCH',
  'INSUFFICIENT_SCOPE',
  'SERVICE_UNAVAILABLE',
];
const ANY: ErrorCode[] = ['INTERNAL_ERROR'];
// Bearer routes whose tenant is the token's own (no TENANT_MISMATCH), refused in a region that does not serve it.
const OWN_TENANT: ErrorCode[] = [
  ...BEARER.filter((code) => code !== 'TENANT_MISMATCH'),
  'TENANT_WRONG_REGION',
];
// Deciding a change request: it must exist in the tenant and still be pending.
const DECISION: ErrorCode[] = [
  'CHANGE_REQUEST_NOT_FOUND',
  'CHANGE_REQUEST_NOT_PENDING',
  'CHANGE_REQUEST_EXPIRED',
];
// New sessions and bets are refused while the rate limiter's store is down; settles, rollbacks and reads go on.
const NEW_WORK: ErrorCode[] = ['SERVICE_UNAVAILABLE'];

/** Every error code each operation can answer (read off the handlers and the betting-domain deciders). */
export const OPERATION_ERRORS: Record<OperationId, readonly ErrorCode[]> = {
  openSession: [...BODY, ...SIGNED, ...IDEMPOTENT, ...NEW_WORK, 'NO_NEW_SESSIONS', ...ANY],
  authorizeBet: [
    ...BODY,
    ...SIGNED,
    ...IDEMPOTENT,
    ...NEW_WORK,
    'SESSION_NOT_FOUND',
    'SESSION_EXPIRED',
    'GAME_MISMATCH',
    'GEO_BLOCKED',
    'FEATURE_DISABLED',
    'STAKE_OUT_OF_LIMITS',
    'CURRENCY_MISMATCH',
    'PLAYER_BLOCKED',
    'SELF_EXCLUDED',
    'BONUS_NOT_ACTIVE',
    'BONUS_RULE_VIOLATION',
    'BONUS_MAX_BET_EXCEEDED',
    'ENTITLEMENT_NOT_AVAILABLE',
    'ENTITLEMENT_EXPIRED',
    'GAME_NOT_ELIGIBLE',
    'ENTITLEMENT_STAKE_MISMATCH',
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
  // Admin calls take the identity provider's tokens with the scope gateway:admin, of the platform tenant.
  getMode: ['INVALID_REQUEST', ...BEARER, ...ANY],
  switchMode: [...BODY, ...BEARER, ...ANY],
  // Bound to the token's own tenant (no TENANT_MISMATCH), which must be served in this region; bad filters 400.
  listAudit: [
    'INVALID_REQUEST',
    ...BEARER.filter((code) => code !== 'TENANT_MISMATCH'),
    'TENANT_WRONG_REGION',
    ...ANY,
  ],
  // Four-eyes and config reads: bound to the token's own tenant, which must be served in this region.
  submitChangeRequest: [...BODY, ...OWN_TENANT, 'CHANGE_REQUEST_INVALID', 'MATH_VERSION_FROZEN', ...ANY],
  listChangeRequests: ['INVALID_REQUEST', ...OWN_TENANT, 'CHANGE_REQUEST_INVALID', ...ANY],
  getChangeRequest: [...OWN_TENANT, 'CHANGE_REQUEST_NOT_FOUND', ...ANY],
  approveChangeRequest: [
    ...OWN_TENANT,
    ...DECISION,
    'FOUR_EYES_SELF_APPROVAL',
    'MATH_VERSION_FROZEN',
    ...ANY,
  ],
  rejectChangeRequest: [...BODY, ...OWN_TENANT, ...DECISION, ...ANY],
  getGameConfig: ['INVALID_REQUEST', ...OWN_TENANT, 'GAME_CONFIG_NOT_FOUND', ...ANY],
  listGameConfigVersions: ['INVALID_REQUEST', ...OWN_TENANT, 'GAME_CONFIG_NOT_FOUND', ...ANY],
};
