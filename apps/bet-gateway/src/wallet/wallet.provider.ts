import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Gauge, Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@pitboss/observability';
import {
  CIRCUIT_STATES,
  type CircuitState,
  createWalletClient,
  type WalletClient,
  type WalletPort,
} from '@pitboss/wallet-client';

/**
 * The wallet the gateway debits: `WALLET_URL` (the sandbox locally), behind a circuit breaker so that while the
 * wallet is down authorizes fail fast with WALLET_UNAVAILABLE instead of each waiting for its timeout.
 */
@Injectable()
export class GatewayWallet implements OnApplicationShutdown {
  private readonly client: WalletClient;

  constructor(@Inject(METRICS_REGISTRY) metrics: Registry) {
    const latency = new Histogram({
      name: 'wallet_call_seconds',
      help: 'Wallet call duration by operation and outcome (ok, rejected, uncertain)',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [metrics],
    });
    // The same name and shape as settle-worker's, so one dashboard and one alert cover both services.
    const breaker = new Gauge({
      name: 'wallet_circuit_state',
      help: '1 for the state the wallet circuit breaker of this replica is in (closed, half_open, open), 0 for the others',
      labelNames: ['state'],
      registers: [metrics],
    });
    const showState = (current: CircuitState) =>
      CIRCUIT_STATES.forEach((state) => breaker.set({ state }, state === current ? 1 : 0));
    showState('closed');
    this.client = createWalletClient(undefined, {
      observer: (operation, outcome, seconds) => latency.observe({ operation, outcome }, seconds),
      onBreakerStateChange: showState,
    });
  }

  get port(): WalletPort {
    return this.client.wallet;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
