import { requireAtLeast, requireGreater } from '@pitboss/platform-config';
import { walletClientConfig } from '@pitboss/wallet-client';

import { settleWorkerConfig } from './settle-worker.config';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads every settle-worker setting and refuses ones that parse but contradict each other (docs/configuration.md,
 * "Rules between settings"); a `ConfigError` names the variables. Run before the service starts.
 */
export function checkSettleWorkerSettings(env: Env = process.env): void {
  const worker = settleWorkerConfig(env);
  const walletTimeout = { name: 'WALLET_TIMEOUT_MS', value: walletClientConfig(env).timeoutMs };
  requireGreater(
    { name: 'SETTLE_LEASE_MS', value: worker.leaseMs },
    walletTimeout,
    "a bet's lease would expire during its wallet call and another replica would call the wallet for it too",
  );
  requireGreater(
    { name: 'SETTLE_CREDIT_BUDGET_MS', value: worker.creditBudgetMs },
    walletTimeout,
    'a settlement would be compensated before one credit attempt could finish',
  );
  requireAtLeast(
    { name: 'SETTLE_RETRY_MAX_MS', value: worker.retry.maxMs },
    { name: 'SETTLE_RETRY_BASE_MS', value: worker.retry.baseMs },
    'the ceiling of every retry delay cannot be below the first one',
  );
}
