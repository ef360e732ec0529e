import { ERROR_CATALOGUE, type ErrorCode } from '@pitboss/contracts';

/**
 * The `class` label of `api_errors_total`:
 * - `server`: the platform failed (every 5xx code: INTERNAL_ERROR, WALLET_UNAVAILABLE, NO_NEW_SESSIONS, ...);
 * - `business`: the request was well-formed, authenticated and entitled, and the domain refused it for the state
 *   it is in: the player's money or status, the game's rules and configuration, the bet's, round's or session's
 *   existence and lifecycle, governance (INSUFFICIENT_FUNDS, GEO_BLOCKED, BET_ALREADY_SETTLED, ...);
 * - `client`: the request cannot be served as sent, whatever the state: malformed, unsigned or unauthenticated,
 *   not entitled, over a protocol limit, a misused idempotency key, or sent too fast (INVALID_REQUEST,
 *   INVALID_SIGNATURE, INSUFFICIENT_SCOPE, RATE_LIMITED, ...).
 * An alert on `client` points at an integration; `business` is the game as played; `server` is ours.
 */
export type ApiErrorClass = 'client' | 'server' | 'business';

// Every code is named, so a new catalogue code does not compile until someone decides its class.
const CLASS_OF_CODE = {
  INVALID_REQUEST: 'client',
  IDEMPOTENCY_KEY_MISSING: 'client',
  IDEMPOTENCY_KEY_INVALID: 'client',
  INVALID_SIGNATURE: 'client',
  STALE_TIMESTAMP: 'client',
  UNKNOWN_TENANT: 'client',
  UNAUTHENTICATED: 'client',
  TOKEN_EXPIRED: 'client',
  INSUFFICIENT_FUNDS: 'business',
  SELF_EXCLUDED: 'business',
  PLAYER_BLOCKED: 'business',
  INSUFFICIENT_SCOPE: 'client',
  TENANT_MISMATCH: 'client',
  GEO_BLOCKED: 'business',
  FEATURE_DISABLED: 'business',
  TENANT_WRONG_REGION: 'client',
  FOUR_EYES_SELF_APPROVAL: 'business',
  BET_NOT_FOUND: 'business',
  SESSION_NOT_FOUND: 'business',
  PLAYER_NOT_FOUND: 'business',
  ROUND_NOT_FOUND: 'business',
  CHANGE_REQUEST_NOT_FOUND: 'business',
  GAME_CONFIG_NOT_FOUND: 'business',
  RECON_RUN_NOT_FOUND: 'business',
  BET_ALREADY_SETTLED: 'business',
  BET_ALREADY_ROLLED_BACK: 'business',
  IDEMPOTENCY_IN_PROGRESS: 'client',
  CHANGE_REQUEST_NOT_PENDING: 'business',
  MATH_VERSION_FROZEN: 'business',
  SESSION_EXPIRED: 'business',
  CHANGE_REQUEST_EXPIRED: 'business',
  CHANGE_REQUEST_INVALID: 'client',
  RECON_REPORT_INVALID: 'client',
  PAYLOAD_TOO_LARGE: 'client',
  UNSUPPORTED_MEDIA_TYPE: 'client',
  IDEMPOTENCY_MISMATCH: 'client',
  DUPLICATE_BET_ID: 'business',
  CURRENCY_MISMATCH: 'business',
  GAME_MISMATCH: 'business',
  BONUS_MAX_BET_EXCEEDED: 'business',
  BONUS_NOT_ACTIVE: 'business',
  BONUS_RULE_VIOLATION: 'business',
  ENTITLEMENT_NOT_AVAILABLE: 'business',
  ENTITLEMENT_EXPIRED: 'business',
  GAME_NOT_ELIGIBLE: 'business',
  ENTITLEMENT_STAKE_MISMATCH: 'business',
  ENTITLEMENT_OUTSIDE_OFFER: 'client',
  CONTRIBUTION_SCHEMA_NOT_FOUND: 'business',
  WAGERING_NOT_FOUND: 'business',
  OFFER_NOT_FOUND: 'business',
  PLAYER_PROFILE_NOT_FOUND: 'business',
  OFFER_ALREADY_EXISTS: 'business',
  OFFER_PENDING_APPROVAL: 'business',
  OFFER_STATUS_CONFLICT: 'business',
  OFFER_INVALID: 'client',
  OFFER_VIOLATES_REGULATION: 'business',
  GRANT_NOT_FOUND: 'business',
  OFFER_NOT_ACTIVE: 'business',
  OFFER_NOT_GRANTABLE: 'business',
  PLAYER_NOT_ELIGIBLE: 'business',
  OFFER_BUDGET_EXHAUSTED: 'business',
  OFFER_CONFLICT: 'business',
  GRANT_ALREADY_ENDED: 'business',
  GRANT_APPROVAL_STALE: 'business',
  VELOCITY_LIMIT: 'client',
  STAKE_OUT_OF_LIMITS: 'business',
  RATE_LIMITED: 'client',
  TOO_MANY_BETS_IN_FLIGHT: 'client',
  INTERNAL_ERROR: 'server',
  NO_NEW_SESSIONS: 'server',
  SERVICE_UNAVAILABLE: 'server',
  WALLET_UNAVAILABLE: 'server',
} as const satisfies Record<ErrorCode, ApiErrorClass>;

/** The `code` of an error answer whose body named no catalogue code. */
export const UNKNOWN_ERROR_CODE = 'UNKNOWN';

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, value);
}

/** The class of an error answer: by its catalogue code, else (no code in the body) by its HTTP status. */
export function apiErrorClassOf(code: string, httpStatus: number): ApiErrorClass {
  // eslint-disable-next-line security/detect-object-injection -- code is an ErrorCode, a key of the table by type
  if (isErrorCode(code)) return CLASS_OF_CODE[code];
  return httpStatus >= 500 ? 'server' : 'client';
}
