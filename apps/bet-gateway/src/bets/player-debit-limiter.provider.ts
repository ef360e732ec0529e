import { type Provider } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@pitboss/observability';

import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { PlayerDebitLimiter } from './player-debit-limiter';

/** The replica's one PlayerDebitLimiter, configured from GatewayConfig, counting its refusals. */
export const playerDebitLimiterProvider: Provider = {
  provide: PlayerDebitLimiter,
  inject: [GATEWAY_CONFIG, METRICS_REGISTRY],
  useFactory: (config: GatewayConfig, registry: Registry) => {
    const refusals = new Counter({
      name: 'wallet_player_limit_refusals_total',
      help: 'Authorizes refused with TOO_MANY_BETS_IN_FLIGHT: the player had the most debits running and waiting',
      registers: [registry],
    });
    return new PlayerDebitLimiter(
      { maxInFlight: config.maxDebitsInFlightPerPlayer, maxQueued: config.maxQueuedDebitsPerPlayer },
      () => refusals.inc(),
    );
  },
};
