import { ConfigError, envInt, envString } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

/** The local stack's Keycloak realm (`npm run stack:up`, KEYCLOAK_PORT 8180). */
export const LOCAL_ISSUER_URL = 'http://127.0.0.1:8180/realms/pitboss';
/** The audience the realm's `pitboss-api` client scope puts into every token meant for these services. */
export const DEFAULT_AUDIENCE = 'pitboss-api';
/** Leeway for clocks that disagree by a little; small, because tokens live 5 minutes at most. */
export const DEFAULT_CLOCK_TOLERANCE_S = 5;
const MAX_CLOCK_TOLERANCE_S = 60;

/** How bearer tokens are verified; read once at start-up (docs/configuration.md). */
export interface AuthConfig {
  /** The `iss` every token must carry, exactly. */
  readonly issuerUrl: string;
  /** A value the token's `aud` must contain. */
  readonly audience: string;
  /** Where the issuer publishes its signing keys (JWKS). */
  readonly jwksUrl: string;
  readonly clockToleranceSeconds: number;
}

function url(name: string, value: string): string {
  try {
    return new URL(value).toString().replace(/\/$/, '');
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${value}"`);
  }
}

/**
 * `AUTH_ISSUER_URL` (default: the local Keycloak realm, except under `NODE_ENV=production`, where it must be
 * set: a service must never trust whatever answers on a developer's port), `AUTH_AUDIENCE` (`pitboss-api`),
 * `AUTH_JWKS_URL` (the issuer's Keycloak certs endpoint) and `AUTH_CLOCK_TOLERANCE_S` (5).
 */
export function authConfigFromEnv(env: Env = process.env): AuthConfig {
  const configured = env['AUTH_ISSUER_URL'];
  if ((configured === undefined || configured.trim() === '') && env['NODE_ENV'] === 'production') {
    throw new ConfigError('AUTH_ISSUER_URL must be set in production (the default is the local Keycloak)');
  }
  // Kept as written, not normalized: `iss` is compared as a string (RFC 7519), so a trailing slash matters.
  const issuerUrl = envString('AUTH_ISSUER_URL', LOCAL_ISSUER_URL, env).trim();
  url('AUTH_ISSUER_URL', issuerUrl);
  const clockToleranceSeconds = envInt('AUTH_CLOCK_TOLERANCE_S', DEFAULT_CLOCK_TOLERANCE_S, env);
  if (clockToleranceSeconds < 0 || clockToleranceSeconds > MAX_CLOCK_TOLERANCE_S) {
    throw new ConfigError(
      `AUTH_CLOCK_TOLERANCE_S must be 0 to ${MAX_CLOCK_TOLERANCE_S}, got ${clockToleranceSeconds}`,
    );
  }
  const audience = envString('AUTH_AUDIENCE', DEFAULT_AUDIENCE, env).trim();
  return {
    issuerUrl,
    audience,
    jwksUrl: url(
      'AUTH_JWKS_URL',
      envString('AUTH_JWKS_URL', `${issuerUrl.replace(/\/$/, '')}/protocol/openid-connect/certs`, env),
    ),
    clockToleranceSeconds,
  };
}
