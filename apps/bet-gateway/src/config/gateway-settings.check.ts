import { authConfigFromEnv } from '@pitboss/auth';
import { idempotencyOptionsFromEnv } from '@pitboss/idempotency';
import { requireGreater } from '@pitboss/platform-config';
import { walletClientConfig } from '@pitboss/wallet-client';

import { purgeConfig } from '../housekeeping/purge.config';
import { gatewayConfig } from './gateway-config';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads every bet-gateway setting and refuses ones that parse but contradict each other (docs/configuration.md,
 * "Rules between settings"); a `ConfigError` names the variables. Run before the service starts.
 */
export function checkGatewaySettings(env: Env = process.env): void {
  const gateway = gatewayConfig(env);
  const wallet = walletClientConfig(env);
  const idempotency = idempotencyOptionsFromEnv(env);
  purgeConfig(env);
  // Operator routes take the issuer's tokens; under NODE_ENV=production AUTH_ISSUER_URL has no default.
  authConfigFromEnv(env);
  const walletTimeout = { name: 'WALLET_TIMEOUT_MS', value: wallet.timeoutMs };
  requireGreater(
    { name: 'DEBIT_RECOVERY_AFTER_MS', value: gateway.debitRecoveryAfterMs },
    walletTimeout,
    'the pending-debit sweep would roll back debits still waiting for the wallet',
  );
  requireGreater(
    { name: 'IDEMPOTENCY_LEASE_MS', value: idempotency.leaseMs },
    walletTimeout,
    'an authorize holds its key while it waits for the wallet; a retry would take the key over and run it again',
  );
  requireGreater(
    { name: 'IDEMPOTENCY_LEASE_MS', value: idempotency.leaseMs },
    { name: 'IDEMPOTENCY_WAIT_MS', value: idempotency.waitMs },
    'a waiting retry would outlast the lease and take over a running request instead of answering IN_PROGRESS',
  );
}
