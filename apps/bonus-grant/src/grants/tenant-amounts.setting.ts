import { ConfigError } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

/** An amount in minor units per tenant: one for every tenant not listed, and overrides. null: no threshold. */
export interface TenantAmounts {
  readonly byDefault: number | null;
  readonly tenants: ReadonlyMap<string, number | null>;
}

/**
 * `<NAME>` (minor units, or `off`) and `<NAME>_TENANTS`, the per-tenant overrides as comma-separated
 * `tenant_id:minor|off` pairs (the last `:` separates), as `WALLET_ZERO_WIN_CREDIT_TENANTS` reads. Anything else,
 * or a tenant listed twice, throws a one-line ConfigError so a typo stops the service at start.
 */
export function tenantAmounts(name: string, fallback: number | null, env: Env = process.env): TenantAmounts {
  // eslint-disable-next-line security/detect-object-injection -- name is one of the service's variable names
  const raw = env[name];
  const byDefault = raw === undefined || raw.trim() === '' ? fallback : parseAmount(name, raw);
  const listName = `${name}_TENANTS`;
  const tenants = new Map<string, number | null>();
  // eslint-disable-next-line security/detect-object-injection -- listName is derived from that name
  for (const entry of (env[listName] ?? '').split(',')) {
    const pair = entry.trim();
    if (pair === '') continue;
    const colon = pair.lastIndexOf(':');
    const tenantId = pair.slice(0, Math.max(colon, 0)).trim();
    if (colon < 0 || tenantId === '')
      throw new ConfigError(`${listName}: "${pair}" is not tenant_id:minor_units|off`);
    if (tenants.has(tenantId)) throw new ConfigError(`${listName} lists tenant "${tenantId}" twice`);
    tenants.set(tenantId, parseAmount(`${listName} (tenant "${tenantId}")`, pair.slice(colon + 1)));
  }
  return { byDefault, tenants };
}

/** The tenant's amount (its override, else the default). */
export function amountFor(setting: TenantAmounts, tenantId: string): number | null {
  return setting.tenants.has(tenantId) ? (setting.tenants.get(tenantId) ?? null) : setting.byDefault;
}

function parseAmount(name: string, raw: string): number | null {
  const value = raw.trim();
  if (value === 'off') return null;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new ConfigError(`${name} must be a whole number of minor units or off, got "${raw}"`);
  return Number(value);
}
