import { type Provider } from '@nestjs/common';

import { createWalletClient, walletClientConfig } from '@pitboss/wallet-client';

import { SettleMetrics } from './settle-metrics';

/** Nest token of the wallet (HTTP client behind its circuit breaker) the sagas call. */
export const WALLET_CLIENT = Symbol('WALLET_CLIENT');

export const walletClientProvider: Provider = {
  provide: WALLET_CLIENT,
  inject: [SettleMetrics],
  useFactory: (metrics: SettleMetrics) =>
    createWalletClient(walletClientConfig(), {
      observer: (operation, outcome, seconds) => metrics.walletCall(operation, outcome, seconds),
      onBreakerStateChange: (state) => metrics.circuitState(state),
    }),
};
