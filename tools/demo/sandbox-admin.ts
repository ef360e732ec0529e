import { type SandboxTotals, walletSandboxAdmin, type WalletSandboxAdmin } from '@pitboss/testing';

/** One row of `GET /admin/totals`: the ledger of a tenant summed per kind and currency. */
export type LedgerTotal = Pick<
  SandboxTotals['totals'][number],
  'kind' | 'currency' | 'count' | 'minor_units' | 'cash_delta_minor_units'
>;

/** The local sandbox's admin API, authenticated with `WALLET_SANDBOX_ADMIN_TOKEN` (default `sandbox-admin`). */
export function sandboxAdmin(adminUrl: string): WalletSandboxAdmin {
  return walletSandboxAdmin(adminUrl, process.env['WALLET_SANDBOX_ADMIN_TOKEN'] ?? 'sandbox-admin');
}

/** Mean handling time of one wallet operation since the sandbox started, from its /metrics (undefined: none). */
export async function meanHandlingMs(
  adminUrl: string,
  operation: 'debit' | 'credit' | 'rollback',
): Promise<number | undefined> {
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
  return count === 0 ? undefined : (sample('wallet_sandbox_request_duration_seconds_sum') / count) * 1_000;
}
