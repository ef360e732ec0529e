import { createPublicKey, type KeyObject } from 'node:crypto';

import { ConfigError } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The local stack's Ed25519 key of `demo-tenant` (key id `demo-key-1`): the public half of RFC 8032's first test
 * key, whose private half docs/aggregator-guide.md prints for the worked example. Local development only.
 */
export const LOCAL_DEV_TENANT_ED25519_KEYS =
  'demo-tenant:demo-key-1:MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=';

/** The key being used and the one being rotated out, as for HMAC secrets. */
export const MAX_PUBLIC_KEYS_PER_TENANT = 2;

const TENANT_ID_PATTERN = /^[A-Za-z0-9._-]+$/;
/** Key ids travel in `X-Key-Id` and in logs. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
// SPKI DER in standard base64: the line between a public key PEM's BEGIN and END lines.
const SPKI_BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The Ed25519 public keys tenants registered for signing requests (`TENANT_ED25519_KEYS`), by tenant and key id.
 * Public keys are not secrets: they may live in plain configuration. A key is revoked by removing it.
 */
export class TenantPublicKeys {
  static readonly NONE = new TenantPublicKeys([]);

  private readonly keys: ReadonlyMap<string, ReadonlyMap<string, KeyObject>>;

  constructor(entries: Iterable<readonly [tenantId: string, keyId: string, key: KeyObject]>) {
    const keys = new Map<string, Map<string, KeyObject>>();
    for (const [tenantId, keyId, key] of entries) {
      if (!TENANT_ID_PATTERN.test(tenantId)) {
        throw new ConfigError(`tenant id "${tenantId}" must match ${TENANT_ID_PATTERN}`);
      }
      if (!KEY_ID_PATTERN.test(keyId))
        throw new ConfigError(`key id "${keyId}" must match ${KEY_ID_PATTERN}`);
      if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519') {
        throw new ConfigError(`key ${keyId} of tenant "${tenantId}" is not an Ed25519 public key`);
      }
      const tenantKeys = keys.get(tenantId) ?? new Map<string, KeyObject>();
      if (tenantKeys.has(keyId))
        throw new ConfigError(`key ${keyId} of tenant "${tenantId}" is listed twice`);
      tenantKeys.set(keyId, key);
      if (tenantKeys.size > MAX_PUBLIC_KEYS_PER_TENANT) {
        throw new ConfigError(
          `tenant "${tenantId}" has more than ${MAX_PUBLIC_KEYS_PER_TENANT} Ed25519 keys`,
        );
      }
      keys.set(tenantId, tenantKeys);
    }
    this.keys = keys;
  }

  /**
   * Parses `tenant_id:key_id:public_key` entries separated by commas, the key as SPKI DER in base64 (the body of
   * its PEM, `openssl pkey -pubout` without the BEGIN/END lines). Rotation: two entries for the tenant.
   */
  static parse(text: string): TenantPublicKeys {
    const entries: [string, string, KeyObject][] = [];
    for (const item of text.split(',')) {
      const entry = item.trim();
      if (entry === '') continue;
      const [tenantId, keyId, spki, ...rest] = entry.split(':');
      if (!tenantId || !keyId || !spki || rest.length > 0 || !SPKI_BASE64_PATTERN.test(spki)) {
        throw new ConfigError(
          `TENANT_ED25519_KEYS entries must read tenant_id:key_id:<SPKI public key, base64> (entry ${entries.length + 1})`,
        );
      }
      entries.push([tenantId, keyId, publicKeyOf(spki, tenantId, keyId)]);
    }
    return new TenantPublicKeys(entries);
  }

  /**
   * From `TENANT_ED25519_KEYS`; unset, none, except on a developer machine that configured no tenant at all
   * (`TENANT_SECRETS` unset too, not production), which gets the local demo tenant's key.
   */
  static fromEnv(env: Env = process.env): TenantPublicKeys {
    const raw = env['TENANT_ED25519_KEYS'];
    if (raw !== undefined && raw.trim() !== '') return TenantPublicKeys.parse(raw);
    const noTenants = (env['TENANT_SECRETS'] ?? '').trim() === '';
    if (noTenants && env['NODE_ENV'] !== 'production')
      return TenantPublicKeys.parse(LOCAL_DEV_TENANT_ED25519_KEYS);
    return TenantPublicKeys.NONE;
  }

  /** The tenant's active key of this id; `undefined` for an unknown or revoked one. */
  keyOf(tenantId: string, keyId: string): KeyObject | undefined {
    return this.keys.get(tenantId)?.get(keyId);
  }

  hasTenant(tenantId: string): boolean {
    return this.keys.has(tenantId);
  }

  tenantIds(): string[] {
    return [...this.keys.keys()];
  }
}

function publicKeyOf(spki: string, tenantId: string, keyId: string): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new ConfigError(`key ${keyId} of tenant "${tenantId}" is not a valid SPKI public key`);
  }
}
