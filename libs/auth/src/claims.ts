import { PitbossError } from '@pitboss/contracts';

import { type Principal } from './principal';

/** The claims the realm's protocol mappers hard-code per client (tools/stack/keycloak/pitboss-realm.json). */
export const TENANT_CLAIM = 'tenant_id';
export const REGION_CLAIM = 'region';

// The same alphabet as aggregator tenant ids (libs/security): they end up in keys, SQL parameters and logs.
const ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

type Claims = Readonly<Record<string, unknown>>;

function requiredString(claims: Claims, name: string, pattern?: RegExp): string {
  // eslint-disable-next-line security/detect-object-injection -- name is a claim name from code (sub, tenant_id, …), never from the token
  const value = claims[name];
  if (typeof value !== 'string' || value === '' || (pattern !== undefined && !pattern.test(value))) {
    throw new PitbossError('UNAUTHENTICATED', `the bearer token has no valid "${name}" claim`);
  }
  return value;
}

/**
 * The principal of a token whose signature, issuer, audience and lifetime were already verified. A token
 * without a subject, client, tenant or region is refused: it was not issued for this platform's clients.
 */
export function principalOf(claims: Claims): Principal {
  const scope = claims['scope'];
  if (scope !== undefined && typeof scope !== 'string') {
    throw new PitbossError('UNAUTHENTICATED', 'the bearer token\'s "scope" claim is not a string');
  }
  return {
    subject: requiredString(claims, 'sub'),
    // Keycloak names the client in `azp`; RFC 9068 access tokens use `client_id`.
    clientId:
      typeof claims['azp'] === 'string' ? requiredString(claims, 'azp') : requiredString(claims, 'client_id'),
    tenantId: requiredString(claims, TENANT_CLAIM, ID_PATTERN),
    region: requiredString(claims, REGION_CLAIM, ID_PATTERN),
    scopes: (scope ?? '').split(' ').filter((item) => item !== ''),
  };
}

/** Throws INSUFFICIENT_SCOPE naming the first required scope the principal lacks; all are required. */
export function assertScopes(principal: Principal, required: readonly string[]): void {
  const missing = required.find((scope) => !principal.scopes.includes(scope));
  if (missing !== undefined) {
    throw new PitbossError('INSUFFICIENT_SCOPE', `the bearer token lacks the scope "${missing}"`, {
      scope: missing,
    });
  }
}

/**
 * Throws TENANT_MISMATCH unless the principal belongs to `tenantId`, the tenant the request acts on. For
 * handlers that learn the tenant late (from a stored record); routes that name it in the request declare
 * `@TenantFrom(...)` instead, so the guard checks it before the handler runs.
 */
export function assertTenant(principal: Principal, tenantId: string): void {
  if (principal.tenantId !== tenantId) {
    throw new PitbossError(
      'TENANT_MISMATCH',
      `the bearer token is for tenant "${principal.tenantId}", not the tenant this request acts on`,
    );
  }
}
