/**
 * Every error code an aggregator can receive, over HTTP and gRPC alike. This table is the single source of truth:
 * the HTTP layer, the gRPC layer and the OpenAPI document all read it, so a code cannot mean two things.
 */
export interface ErrorDefinition {
  readonly httpStatus: number;
  /** gRPC status code number (see @grpc/grpc-js `status`), kept numeric so contracts import no transport. */
  readonly grpcStatus: number;
  /**
   * True when the condition is transient: sent again later, the request may succeed. For WALLET_UNAVAILABLE on
   * authorize that means as a new bet: the uncertain bet_id itself is being rolled back.
   */
  readonly retryable: boolean;
  readonly description: string;
}

const GRPC = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export const ERROR_CATALOGUE = {
  INVALID_REQUEST: {
    httpStatus: 400,
    grpcStatus: GRPC.INVALID_ARGUMENT,
    retryable: false,
    description: 'The request is malformed; `error.fields` lists the offending field paths.',
  },
  IDEMPOTENCY_KEY_MISSING: {
    httpStatus: 400,
    grpcStatus: GRPC.INVALID_ARGUMENT,
    retryable: false,
    description: 'A POST carries no X-Idempotency-Key.',
  },
  IDEMPOTENCY_KEY_INVALID: {
    httpStatus: 400,
    grpcStatus: GRPC.INVALID_ARGUMENT,
    retryable: false,
    description: 'X-Idempotency-Key is not 1 to 255 printable ASCII characters.',
  },
  INVALID_SIGNATURE: {
    httpStatus: 401,
    grpcStatus: GRPC.UNAUTHENTICATED,
    retryable: false,
    description:
      'X-Signature is missing or is not the HMAC-SHA256 of the request with the tenant secret, or (with X-Key-Id) ' +
      'the Ed25519 signature under an active key of the tenant (an unknown or revoked key id included).',
  },
  STALE_TIMESTAMP: {
    httpStatus: 401,
    grpcStatus: GRPC.UNAUTHENTICATED,
    retryable: false,
    description: 'X-Timestamp is missing or more than the allowed skew (default 5 minutes) from server time.',
  },
  UNKNOWN_TENANT: {
    httpStatus: 401,
    grpcStatus: GRPC.UNAUTHENTICATED,
    retryable: false,
    description: 'X-Tenant-Id is missing or names no configured tenant.',
  },
  UNAUTHENTICATED: {
    httpStatus: 401,
    grpcStatus: GRPC.UNAUTHENTICATED,
    retryable: false,
    description:
      'An operator route got no bearer token, or one that does not verify (signature, issuer, audience, claims).',
  },
  TOKEN_EXPIRED: {
    httpStatus: 401,
    grpcStatus: GRPC.UNAUTHENTICATED,
    retryable: false,
    description:
      'The bearer token has expired (or is not valid yet); get a new one from the identity provider.',
  },
  INSUFFICIENT_FUNDS: {
    httpStatus: 402,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description: 'The wallet refused the debit; `error.balance` is the actual balance.',
  },
  SELF_EXCLUDED: {
    httpStatus: 403,
    grpcStatus: GRPC.PERMISSION_DENIED,
    retryable: false,
    description: 'The player is self-excluded (responsible gaming); no new bets.',
  },
  PLAYER_BLOCKED: {
    httpStatus: 403,
    grpcStatus: GRPC.PERMISSION_DENIED,
    retryable: false,
    description: 'The player is blocked by the operator or the wallet.',
  },
  INSUFFICIENT_SCOPE: {
    httpStatus: 403,
    grpcStatus: GRPC.PERMISSION_DENIED,
    retryable: false,
    description: 'The bearer token lacks a scope the route requires; the message and `error.scope` name it.',
  },
  TENANT_MISMATCH: {
    httpStatus: 403,
    grpcStatus: GRPC.PERMISSION_DENIED,
    retryable: false,
    description: "The bearer token's tenant (brand) is not the tenant the request acts on.",
  },
  GEO_BLOCKED: {
    httpStatus: 403,
    grpcStatus: GRPC.PERMISSION_DENIED,
    retryable: false,
    description:
      "The game may not be played from the session's country (its geo-bans), or the game has geo-bans and the session was opened without a country.",
  },
  FEATURE_DISABLED: {
    httpStatus: 403,
    grpcStatus: GRPC.PERMISSION_DENIED,
    retryable: false,
    description: 'The bet uses a feature (`error.feature`) that is off for the game in this region.',
  },
  TENANT_WRONG_REGION: {
    httpStatus: 403,
    grpcStatus: GRPC.PERMISSION_DENIED,
    retryable: false,
    description:
      "The tenant (or the token's region) belongs to another region than this deployment's; call that region's endpoint.",
  },
  FOUR_EYES_SELF_APPROVAL: {
    httpStatus: 403,
    grpcStatus: GRPC.PERMISSION_DENIED,
    retryable: false,
    description: 'A change request cannot be approved by the person who proposed it; another person must.',
  },
  BET_NOT_FOUND: {
    httpStatus: 404,
    grpcStatus: GRPC.NOT_FOUND,
    retryable: false,
    description: 'No authorized bet with this bet_id (and round_id) exists for the tenant.',
  },
  SESSION_NOT_FOUND: {
    httpStatus: 404,
    grpcStatus: GRPC.NOT_FOUND,
    retryable: false,
    description: 'No session with this session_id exists for the tenant and player.',
  },
  PLAYER_NOT_FOUND: {
    httpStatus: 404,
    grpcStatus: GRPC.NOT_FOUND,
    retryable: false,
    description: 'The wallet has no account for this player.',
  },
  ROUND_NOT_FOUND: {
    httpStatus: 404,
    grpcStatus: GRPC.NOT_FOUND,
    retryable: false,
    description: 'No bet was ever placed in this round for the tenant.',
  },
  CHANGE_REQUEST_NOT_FOUND: {
    httpStatus: 404,
    grpcStatus: GRPC.NOT_FOUND,
    retryable: false,
    description: "No change request with this id in the caller's tenant.",
  },
  RECON_RUN_NOT_FOUND: {
    httpStatus: 404,
    grpcStatus: GRPC.NOT_FOUND,
    retryable: false,
    description: "No reconciliation run with this id in the caller's tenant.",
  },
  CONTRIBUTION_SCHEMA_NOT_FOUND: {
    httpStatus: 404,
    grpcStatus: GRPC.NOT_FOUND,
    retryable: false,
    description: "No contribution schema (or no such version of it) with this id in the caller's tenant.",
  },
  WAGERING_NOT_FOUND: {
    httpStatus: 404,
    grpcStatus: GRPC.NOT_FOUND,
    retryable: false,
    description:
      "wagering-progress knows no wagering for this grant in the caller's tenant (unknown grant, or one issued without a wagering requirement).",
  },
  GAME_CONFIG_NOT_FOUND: {
    httpStatus: 404,
    grpcStatus: GRPC.NOT_FOUND,
    retryable: false,
    description: "The game has no configuration version in this region for the caller's tenant.",
  },
  OFFER_NOT_FOUND: {
    httpStatus: 404,
    grpcStatus: GRPC.NOT_FOUND,
    retryable: false,
    description: "No promo offer with this id in the caller's tenant (bonus-grant).",
  },
  GRANT_NOT_FOUND: {
    httpStatus: 404,
    grpcStatus: GRPC.NOT_FOUND,
    retryable: false,
    description: "No bonus grant with this id in the caller's tenant (bonus-grant).",
  },
  PLAYER_PROFILE_NOT_FOUND: {
    httpStatus: 404,
    grpcStatus: GRPC.NOT_FOUND,
    retryable: false,
    description:
      "bonus-grant has no profile of this player (players.v1 has not delivered one for the caller's tenant yet).",
  },
  BET_ALREADY_SETTLED: {
    httpStatus: 409,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description: 'The bet already has a settlement (a different win, or a rollback after settlement).',
  },
  BET_ALREADY_ROLLED_BACK: {
    httpStatus: 409,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'The bet was rolled back (or a rollback for it arrived first); it cannot be authorized or settled.',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    httpStatus: 409,
    grpcStatus: GRPC.ABORTED,
    retryable: true,
    description: 'A request with this idempotency key is still being processed; retry after `Retry-After`.',
  },
  CHANGE_REQUEST_NOT_PENDING: {
    httpStatus: 409,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description: 'The change request was already applied or rejected (`error.status`); nothing changed.',
  },
  OFFER_ALREADY_EXISTS: {
    httpStatus: 409,
    grpcStatus: GRPC.ALREADY_EXISTS,
    retryable: false,
    description:
      'An offer with this offer_id already exists in the tenant; edit it (PATCH) or choose another id.',
  },
  OFFER_PENDING_APPROVAL: {
    httpStatus: 409,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'The offer has a publish request awaiting its second person (`error.change_request_id`): the draft cannot ' +
      'change or be submitted again until it is approved, rejected or expired.',
  },
  OFFER_STATUS_CONFLICT: {
    httpStatus: 409,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      "The action does not apply to the offer's status (`error.status`): pause an active offer, resume a paused " +
      'one, retire a published one; a retired offer is never edited or published again.',
  },
  MATH_VERSION_FROZEN: {
    httpStatus: 409,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'A certified math version cannot be changed (`error.version`); certify a new version for other figures.',
  },
  SESSION_EXPIRED: {
    httpStatus: 410,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'The session expired; open a new one. Checked on authorize only, never on settle or rollback.',
  },
  CHANGE_REQUEST_EXPIRED: {
    httpStatus: 410,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'The change request waited longer than its expiry (72 h by default) without approval; submit it again.',
  },
  PAYLOAD_TOO_LARGE: {
    httpStatus: 413,
    grpcStatus: GRPC.RESOURCE_EXHAUSTED,
    retryable: false,
    description: 'The request body is larger than the limit (default 16 KiB).',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    httpStatus: 415,
    grpcStatus: GRPC.INVALID_ARGUMENT,
    retryable: false,
    description:
      'A POST body is not sent as `Content-Type: application/json` (optionally `; charset=utf-8`).',
  },
  IDEMPOTENCY_MISMATCH: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description: 'The idempotency key was already used with a different request body.',
  },
  RECON_REPORT_INVALID: {
    httpStatus: 422,
    grpcStatus: GRPC.INVALID_ARGUMENT,
    retryable: false,
    description:
      'An uploaded reconciliation report cannot be read (a missing column, an unknown kind, a non-integer amount, ' +
      'an unreadable time; the message names the line); nothing was recorded.',
  },
  CHANGE_REQUEST_INVALID: {
    httpStatus: 422,
    grpcStatus: GRPC.INVALID_ARGUMENT,
    retryable: false,
    description:
      'The change request names an unknown kind, or its payload is not a valid change of its kind; `error.fields` ' +
      'lists the offending paths (`kind`, `payload.…`). Nothing was recorded.',
  },
  OFFER_INVALID: {
    httpStatus: 422,
    grpcStatus: GRPC.INVALID_ARGUMENT,
    retryable: false,
    description:
      "The offer's terms contradict themselves or name what does not exist (a match without a percentage, " +
      'wagering without a contribution schema, an unknown schema); `error.fields` lists each path. Nothing changed.',
  },
  OFFER_VIOLATES_REGULATION: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'The offer breaks a jurisdiction policy of a licence it is open to; `error.violations` lists each rule ' +
      '(licence, rule, policy_version, reason). Nothing was published.',
  },
  OFFER_NOT_ACTIVE: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'The offer is paused or retired, or outside its schedule: it gives no grants now. Nothing changed.',
  },
  OFFER_NOT_GRANTABLE: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'The offer gives no bonus money for this request: a free-spins or free-bet offer (use entitlements), or an ' +
      'amount that yields no bonus; on POST /v1/entitlements, an offer that is not free spins or free bets. ' +
      'Nothing changed.',
  },
  ENTITLEMENT_OUTSIDE_OFFER: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'The entitlement asks for more than its free-spins / free-bet offer allows (another kind, more tokens, a ' +
      'higher bet value, games the offer does not name, an expiry past its validity); `error.fields` lists each ' +
      '`{field, reason}`. Nothing changed.',
  },
  PLAYER_NOT_ELIGIBLE: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      "The player fails the offer's eligibility; `error.failures` lists every failed condition (code, reason). " +
      'Nothing changed.',
  },
  OFFER_BUDGET_EXHAUSTED: {
    httpStatus: 422,
    grpcStatus: GRPC.RESOURCE_EXHAUSTED,
    retryable: false,
    description:
      "The offer's budget (in minor units) or its maximum number of grants is used up. Nothing changed.",
  },
  OFFER_CONFLICT: {
    httpStatus: 409,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'The player already holds an active grant of the same conflict group; `error.blocking_grant_id` names it. ' +
      'Nothing changed.',
  },
  GRANT_ALREADY_ENDED: {
    httpStatus: 409,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'The grant already ended another way (converted, expired, aborted): it cannot be revoked; `error.status` ' +
      'says how it ended.',
  },
  GRANT_APPROVAL_STALE: {
    httpStatus: 409,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'A bonus_grant change request is approved but the offer was republished or now gives another amount than ' +
      'the request showed: nothing is issued and the request stays pending; reject it and request the grant again.',
  },
  VELOCITY_LIMIT: {
    httpStatus: 429,
    grpcStatus: GRPC.RESOURCE_EXHAUSTED,
    retryable: true,
    description:
      'The player reached the grants allowed in a rolling 24 h (GRANT_VELOCITY_PLAYER_PER_24H); a later request ' +
      'may succeed. Nothing changed.',
  },
  DUPLICATE_BET_ID: {
    httpStatus: 422,
    grpcStatus: GRPC.ALREADY_EXISTS,
    retryable: false,
    description: 'This bet_id already exists with a different amount, player, round, session or game.',
  },
  CURRENCY_MISMATCH: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description: "The amount's currency differs from the session's (or the bet's) currency.",
  },
  GAME_MISMATCH: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description: "The bet's game_id differs from the game its session was opened for.",
  },
  BONUS_MAX_BET_EXCEEDED: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description: "The stake is above the bonus grant's maximum bet; `error.max_bet` is the limit.",
  },
  BONUS_RULE_VIOLATION: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'The bet breaks a rule of its bonus grant: the game is one the grant excludes (`error.game_id`).',
  },
  ENTITLEMENT_NOT_AVAILABLE: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'entitlement_id names no entitlement of this player with a token left (unknown, another player’s, used up). ' +
      'Nothing changed.',
  },
  ENTITLEMENT_EXPIRED: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description: 'The entitlement expired (`error.expires_at`): its unused tokens lapsed. Nothing changed.',
  },
  GAME_NOT_ELIGIBLE: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'The entitlement may not be used on this game (`error.game_id`; `error.games` lists the ones it may). ' +
      'Nothing changed.',
  },
  ENTITLEMENT_STAKE_MISMATCH: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      "An entitlement bet's stake must be exactly the entitlement's bet value (`error.bet_value`). Nothing changed.",
  },
  BONUS_NOT_ACTIVE: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      'bonus_grant_id names no active grant of this player (unknown, expired, revoked or used up).',
  },
  STAKE_OUT_OF_LIMITS: {
    httpStatus: 422,
    grpcStatus: GRPC.FAILED_PRECONDITION,
    retryable: false,
    description:
      "The stake is outside the game's limits for its currency (`error.min`, `error.max`) or not a multiple of its denominations.",
  },
  RATE_LIMITED: {
    httpStatus: 429,
    grpcStatus: GRPC.RESOURCE_EXHAUSTED,
    retryable: true,
    description: 'Too many requests for the session or the tenant; retry after `Retry-After` seconds.',
  },
  TOO_MANY_BETS_IN_FLIGHT: {
    httpStatus: 429,
    grpcStatus: GRPC.RESOURCE_EXHAUSTED,
    retryable: true,
    description:
      'The player already has the most bets waiting for the wallet; nothing was recorded for this bet: ' +
      'send it again (same bet_id) after `Retry-After` seconds.',
  },
  INTERNAL_ERROR: {
    httpStatus: 500,
    grpcStatus: GRPC.INTERNAL,
    retryable: true,
    description: 'An unexpected error; nothing was accepted unless a retry with the same key says so.',
  },
  NO_NEW_SESSIONS: {
    httpStatus: 503,
    grpcStatus: GRPC.UNAVAILABLE,
    retryable: true,
    description:
      'The gateway is in degraded mode: no new sessions; running rounds keep betting and settling.',
  },
  SERVICE_UNAVAILABLE: {
    httpStatus: 503,
    grpcStatus: GRPC.UNAVAILABLE,
    retryable: true,
    description:
      'A store the gateway needs before accepting new bets or sessions (the rate limiter) is unavailable; nothing was accepted.',
  },
  WALLET_UNAVAILABLE: {
    httpStatus: 503,
    grpcStatus: GRPC.UNAVAILABLE,
    retryable: true,
    description:
      'The wallet did not answer definitively; the debit, if it happened, is being rolled back automatically.',
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** The one error type the money path raises; transports map `code` through ERROR_CATALOGUE. */
export class PitbossError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    /** Seconds before a retry may succeed (RATE_LIMITED, TOO_MANY_BETS_IN_FLIGHT, IDEMPOTENCY_IN_PROGRESS). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'PitbossError';
  }

  get definition(): ErrorDefinition {
    return ERROR_CATALOGUE[this.code];
  }
}

/** The JSON body of every error response: `{"error": {"code", "message", "retryable", ...details}}`. */
export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly retryable: boolean;
  } & Readonly<Record<string, unknown>>;
}

export function errorBodyOf(error: PitbossError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      retryable: error.definition.retryable,
      ...error.details,
    },
  };
}
