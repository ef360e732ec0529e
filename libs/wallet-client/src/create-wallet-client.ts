import { BreakingWalletClient } from './breaking-wallet-client';
import { HttpWalletClient, type WalletCallObserver } from './http-wallet-client';
import { type CircuitState, WalletCircuitBreaker } from './wallet-circuit-breaker';
import { type WalletClientConfig, walletClientConfig } from './wallet-client.config';
import { type WalletPort } from './wallet-port';

export interface WalletClientOptions {
  readonly observer?: WalletCallObserver;
  readonly onBreakerStateChange?: (state: CircuitState) => void;
}

export interface WalletClient {
  /** The wallet behind the circuit breaker: what services call. */
  readonly wallet: WalletPort;
  readonly breaker: WalletCircuitBreaker;
  close(): Promise<void>;
}

/** The production wiring: HTTP client with keep-alive, behind a circuit breaker, configured from the env. */
export function createWalletClient(
  config: WalletClientConfig = walletClientConfig(),
  options: WalletClientOptions = {},
): WalletClient {
  const http = new HttpWalletClient(config, { observer: options.observer });
  const breaker = new WalletCircuitBreaker({
    failureRatio: config.breakerFailurePercent / 100,
    windowMs: config.breakerWindowMs,
    minimumCalls: config.breakerMinCalls,
    cooldownMs: config.breakerCooldownMs,
    onStateChange: options.onBreakerStateChange,
  });
  return { wallet: new BreakingWalletClient(http, breaker), breaker, close: () => http.close() };
}
