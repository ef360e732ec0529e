import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

import { PitbossError } from '@pitboss/contracts';

import { type AuthConfig } from './auth-config';
import { principalOf } from './claims';
import { type Principal } from './principal';

/**
 * Asymmetric algorithms only: a key set never verifies an HMAC token (the classic confusion of a public key used
 * as a shared secret), and `none` is never accepted. Keycloak signs with RS256 by default.
 */
export const ACCEPTED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
];

/** JWKS caching (jose's `createRemoteJWKSet`): the documented values, spelled out so they stay visible. */
export const JWKS_CACHE = {
  /** Keys are fetched again after this long even when every token's `kid` is known. */
  cacheMaxAge: 10 * 60_000,
  /** A token with an unknown `kid` (the issuer rotated its key) refetches at most this often. */
  cooldownDuration: 30_000,
  timeoutDuration: 5_000,
} as const;

/** Verifies access tokens (signature by the issuer's keys, `iss`, `aud`, `exp`) and reads their principal. */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  /** `keys` defaults to the issuer's JWKS, fetched on first use (so a service starts while Keycloak does). */
  constructor(
    private readonly config: AuthConfig,
    keys?: JWTVerifyGetKey,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = keys ?? createRemoteJWKSet(new URL(config.jwksUrl), { ...JWKS_CACHE });
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.issuerUrl,
        audience: this.config.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: this.config.clockToleranceSeconds,
        currentDate: new Date(this.now()),
        requiredClaims: ['exp', 'sub'],
      });
      return principalOf(payload);
    } catch (error) {
      throw asPitbossError(error);
    }
  }
}

/** jose's failures as catalogue codes; the message says what was wrong, never echoes the token. */
function asPitbossError(error: unknown): Error {
  if (error instanceof PitbossError) return error;
  if (error instanceof errors.JWTExpired) {
    return new PitbossError('TOKEN_EXPIRED', 'the bearer token has expired; get a new one');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new PitbossError(
      'UNAUTHENTICATED',
      `the bearer token's "${error.claim}" claim is not accepted here`,
    );
  }
  if (error instanceof errors.JWKSTimeout || isFetchFailure(error)) {
    return new PitbossError(
      'SERVICE_UNAVAILABLE',
      "the identity provider's signing keys could not be fetched; try again",
    );
  }
  if (error instanceof errors.JOSEError) {
    // Bad signature, unknown key id, malformed token, disallowed algorithm: all one answer to the caller.
    return new PitbossError('UNAUTHENTICATED', `the bearer token does not verify (${error.code})`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

// fetch() rejects with a TypeError when the issuer cannot be reached; a JWKS answered with an error status is a
// JOSEError (handled above).
function isFetchFailure(error: unknown): boolean {
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}
