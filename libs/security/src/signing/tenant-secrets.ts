import { type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';

import { ConfigError } from '@pitboss/platform-config';

import { TenantPublicKeys } from './tenant-public-keys';

type Env = Readonly<Record<string, string | undefined>>;

/** Local development only; a production deployment injects `TENANT_SECRETS` from its secret store. */
export const LOCAL_DEV_TENANT_SECRETS = 'demo-tenant:demo-secret';

/** At most the current secret and the one being rotated out. */
export const MAX_SECRETS_PER_TENANT = 2;

// Tenant ids end up in Redis keys (inside `{…}` hash tags), event keys (`tenant_id:player_id`) and logs.
const TENANT_ID_PATTERN = /^[A-Za-z0-9._-]+$/;

/** Where verification looks up a tenant's secrets; `undefined` for a tenant that is not configured. */
export interface TenantSecretLookup {
  /** The tenant's HMAC secrets; empty for a tenant that signs with Ed25519 keys only. */
  secretsOf(tenantId: string): readonly string[] | undefined;
  /** The tenant's active Ed25519 public key of this id (`X-Key-Id`); absent when the lookup has none. */
  publicKeyOf?(tenantId: string, keyId: string): KeyObject | undefined;
}

/**
 * The tenants allowed to call, with their signing secrets (one, or two while a secret is rotated).
 * Never prints a secret: `String()`, `JSON.stringify` and `util.inspect` show tenant ids only.
 */
export class TenantSecrets implements TenantSecretLookup {
  private readonly secrets: ReadonlyMap<string, readonly string[]>;

  constructor(
    entries: Iterable<readonly [tenantId: string, secrets: readonly string[]]>,
    /** Tenants' Ed25519 public keys (`TENANT_ED25519_KEYS`); a tenant may have keys, secrets or both. */
    private readonly publicKeys: TenantPublicKeys = TenantPublicKeys.NONE,
  ) {
    const secrets = new Map<string, readonly string[]>();
    for (const [tenantId, tenantSecrets] of entries) {
      if (!TENANT_ID_PATTERN.test(tenantId)) {
        throw new ConfigError(`tenant id "${tenantId}" must match ${TENANT_ID_PATTERN}`);
      }
      if (secrets.has(tenantId)) throw new ConfigError(`tenant "${tenantId}" is configured twice`);
      if (tenantSecrets.length === 0 || tenantSecrets.length > MAX_SECRETS_PER_TENANT) {
        throw new ConfigError(`tenant "${tenantId}" needs 1 to ${MAX_SECRETS_PER_TENANT} secrets`);
      }
      if (tenantSecrets.some((secret) => secret === '')) {
        throw new ConfigError(`tenant "${tenantId}" has an empty secret`);
      }
      if (new Set(tenantSecrets).size !== tenantSecrets.length) {
        throw new ConfigError(`tenant "${tenantId}" lists the same secret twice`);
      }
      secrets.set(tenantId, [...tenantSecrets]);
    }
    this.secrets = secrets;
  }

  /**
   * Parses `tenant_id:secret` pairs separated by commas. A secret may contain ':' (only the first one separates).
   * Rotation: list the tenant twice, `acme:new-secret,acme:old-secret`; either secret then verifies.
   */
  static parse(text: string): TenantSecrets {
    const byTenant = new Map<string, string[]>();
    for (const item of text.split(',')) {
      const pair = item.trim();
      if (pair === '') continue;
      const colon = pair.indexOf(':');
      if (colon <= 0 || colon === pair.length - 1) {
        // The pair itself is not echoed: it would print a secret into the start-up log.
        throw new ConfigError(
          `TENANT_SECRETS entries must read tenant_id:secret (entry ${byTenant.size + 1})`,
        );
      }
      const tenantId = pair.slice(0, colon);
      const secrets = byTenant.get(tenantId) ?? [];
      secrets.push(pair.slice(colon + 1));
      byTenant.set(tenantId, secrets);
    }
    if (byTenant.size === 0) throw new ConfigError('TENANT_SECRETS names no tenant');
    return new TenantSecrets(byTenant);
  }

  /**
   * From `TENANT_SECRETS`. Unset, it falls back to the local development tenant, except under
   * `NODE_ENV=production`, where a missing secret store injection must stop the service rather than accept
   * requests signed with a secret published in this repository.
   */
  static fromEnv(env: Env = process.env): TenantSecrets {
    const raw = env['TENANT_SECRETS'];
    const publicKeys = TenantPublicKeys.fromEnv(env);
    if (raw === undefined || raw.trim() === '') {
      if (env['NODE_ENV'] === 'production') {
        // Tenants that all sign with Ed25519 need no secret; a deployment with neither has no tenant at all.
        if (publicKeys.tenantIds().length > 0) return new TenantSecrets([], publicKeys);
        throw new ConfigError(
          'TENANT_SECRETS (or TENANT_ED25519_KEYS) must be set in production (the default is for local use only)',
        );
      }
      return TenantSecrets.parse(LOCAL_DEV_TENANT_SECRETS).withPublicKeys(publicKeys);
    }
    return TenantSecrets.parse(raw).withPublicKeys(publicKeys);
  }

  /** These secrets with tenants' Ed25519 public keys beside them. */
  withPublicKeys(publicKeys: TenantPublicKeys): TenantSecrets {
    return new TenantSecrets(this.secrets, publicKeys);
  }

  secretsOf(tenantId: string): readonly string[] | undefined {
    return this.secrets.get(tenantId) ?? (this.publicKeys.hasTenant(tenantId) ? [] : undefined);
  }

  publicKeyOf(tenantId: string, keyId: string): KeyObject | undefined {
    return this.publicKeys.keyOf(tenantId, keyId);
  }

  tenantIds(): string[] {
    return [...new Set([...this.secrets.keys(), ...this.publicKeys.tenantIds()])];
  }

  toString(): string {
    return `TenantSecrets(${this.tenantIds().join(', ')})`;
  }

  toJSON(): { tenants: string[] } {
    return { tenants: this.tenantIds() };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
