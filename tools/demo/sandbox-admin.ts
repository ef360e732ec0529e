/** One row of `GET /admin/totals`: the ledger of a tenant summed per kind and currency. */
export interface LedgerTotal {
  readonly kind: 'debit' | 'credit' | 'rollback' | 'convert';
  readonly currency: string;
  readonly count: number;
  readonly minor_units: number;
  readonly cash_delta_minor_units: number;
}

export interface SandboxAdmin {
  /** Creates the account with this cash balance (or resets an existing one to it). */
  createAccount(account: {
    tenantId: string;
    playerId: string;
    currency: string;
    cash: number;
  }): Promise<void>;
  /** The account's cash balance in minor units. */
  cash(tenantId: string, playerId: string): Promise<number>;
  totals(tenantId: string): Promise<readonly LedgerTotal[]>;
  /** Mean handling time of one wallet operation since the sandbox started, from its /metrics (undefined: none). */
  meanHandlingMs(operation: 'debit' | 'credit' | 'rollback'): Promise<number | undefined>;
}

/** The wallet sandbox's admin API (tools/wallet-sandbox/README.md), authenticated with `WALLET_SANDBOX_ADMIN_TOKEN`. */
export function sandboxAdmin(
  adminUrl: string,
  token = process.env['WALLET_SANDBOX_ADMIN_TOKEN'] ?? 'sandbox-admin',
): SandboxAdmin {
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${adminUrl}${path}`, {
      method,
      headers: { 'x-admin-token': token, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`wallet sandbox ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    async createAccount({ tenantId, playerId, currency, cash }) {
      await call('POST', '/admin/accounts', {
        tenant_id: tenantId,
        player_id: playerId,
        currency,
        cash_minor_units: cash,
      });
    },
    async cash(tenantId, playerId) {
      const account = await call<{ cash: { minor_units: number } }>(
        'GET',
        `/admin/accounts/${encodeURIComponent(tenantId)}/${encodeURIComponent(playerId)}`,
      );
      return account.cash.minor_units;
    },
    async totals(tenantId) {
      const body = await call<{ totals: LedgerTotal[] }>(
        'GET',
        `/admin/totals?tenant_id=${encodeURIComponent(tenantId)}`,
      );
      return body.totals;
    },
    async meanHandlingMs(operation) {
      const response = await fetch(`${adminUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
      const metrics = await response.text();
      const sample = (name: string) =>
        Number(
          metrics
            .split('\n')
            .find((line) => line.startsWith(`${name}{`) && line.includes(`operation="${operation}"`))
            ?.split(' ')
            .at(-1) ?? 0,
        );
      const count = sample('wallet_sandbox_request_duration_seconds_count');
      return count === 0
        ? undefined
        : (sample('wallet_sandbox_request_duration_seconds_sum') / count) * 1_000;
    },
  };
}
