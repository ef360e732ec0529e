/**
 * Who calls an operator route, as the identity provider vouched for it in a verified bearer token. Every field
 * comes from the token, never from the request: a caller cannot claim another tenant, region or scope.
 */
export interface Principal {
  /** `sub`: the service account's (or user's) id. Distinct per client, so four-eyes can tell two callers apart. */
  readonly subject: string;
  /** `azp`: the OAuth2 client the token was issued to (e.g. `brand-a-ops-1`). */
  readonly clientId: string;
  /** `tenant_id`: the brand the client belongs to, or `platform` for the platform's own operators. */
  readonly tenantId: string;
  /** `region`: where the tenant's data lives. */
  readonly region: string;
  /** `scope`: the scopes granted in this token (only those the client asked for and may hold). */
  readonly scopes: readonly string[];
}

/**
 * The tenant of the platform's own operators, and the tenant platform-wide routes act on (the gateway's
 * degraded mode): a brand's token, whatever its scopes, cannot act on the whole platform.
 */
export const PLATFORM_TENANT = 'platform';

/** The scopes of the realm `pitboss` (tools/stack/keycloak/pitboss-realm.json), for type-checked decorators. */
export const SCOPES = [
  'gateway:admin',
  'promo:admin',
  'promo:approve',
  'promo:issue',
  'promo:convert',
  'promo:revoke',
  'config:write',
  'config:approve',
  'audit:read',
  'recon:read',
  'recon:import',
] as const;

export type Scope = (typeof SCOPES)[number];
