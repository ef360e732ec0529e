import { type Provider } from '@nestjs/common';

import { createWalletClient, walletClientConfig } from '@pitboss/wallet-client';

import { GrantMetrics } from './grant-metrics';

/** Nest token of the wallet (HTTP client behind its circuit breaker) the grant saga calls. */
export const GRANT_WALLET = Symbol('GRANT_WALLET');

export const grantWalletProvider: Provider = {
  provide: GRANT_WALLET,
  inject: [GrantMetrics],
  useFactory: (metrics: GrantMetrics) =>
    createWalletClient(walletClientConfig(), {
      observer: (operation, outcome, seconds) => metrics.walletCall(operation, outcome, seconds),
    }),
};
