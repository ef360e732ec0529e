import { ConfigError } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether a tenant's wallet gets a zero win as a credit of 0. MG+/Hub88-style wallets close a round only on a
 * credit (or a round-close call), so the default is to send it; a wallet that refuses or mis-books a zero amount
 * is turned off per tenant.
 */
export interface ZeroWinCreditSetting {
  /** For every tenant not listed in `tenants`. */
  readonly byDefault: boolean;
  readonly tenants: ReadonlyMap<string, boolean>;
}

/**
 * `WALLET_ZERO_WIN_CREDIT` (`true` | `false`, default `true`) and `WALLET_ZERO_WIN_CREDIT_TENANTS`, the
 * per-tenant overrides as comma-separated `tenant_id:true|false` pairs (the last `:` separates). Anything else
 * throws a one-line ConfigError, so a typo stops the worker at start instead of silently sending (or not) money
 * calls.
 */
export function zeroWinCreditSetting(env: Env = process.env): ZeroWinCreditSetting {
  const raw = env['WALLET_ZERO_WIN_CREDIT'];
  const byDefault = raw === undefined || raw === '' ? true : parseFlag('WALLET_ZERO_WIN_CREDIT', raw);
  const tenants = new Map<string, boolean>();
  for (const entry of (env['WALLET_ZERO_WIN_CREDIT_TENANTS'] ?? '').split(',')) {
    const pair = entry.trim();
    if (pair === '') continue;
    const colon = pair.lastIndexOf(':');
    const tenantId = pair.slice(0, Math.max(colon, 0)).trim();
    if (colon < 0 || tenantId === '')
      throw new ConfigError(`WALLET_ZERO_WIN_CREDIT_TENANTS: "${pair}" is not tenant_id:true|false`);
    if (tenants.has(tenantId))
      throw new ConfigError(`WALLET_ZERO_WIN_CREDIT_TENANTS lists tenant "${tenantId}" twice`);
    tenants.set(
      tenantId,
      parseFlag(`WALLET_ZERO_WIN_CREDIT_TENANTS (tenant "${tenantId}")`, pair.slice(colon + 1)),
    );
  }
  return { byDefault, tenants };
}

export function creditsZeroWin(setting: ZeroWinCreditSetting, tenantId: string): boolean {
  return setting.tenants.get(tenantId) ?? setting.byDefault;
}

function parseFlag(name: string, raw: string): boolean {
  const value = raw.trim();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}
