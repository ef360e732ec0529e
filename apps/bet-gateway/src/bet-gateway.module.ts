import { Module } from '@nestjs/common';
import { type Pool } from 'pg';

import { AuthModule } from '@pitboss/auth';
import { DATABASE_POOL, EventStoreModule } from '@pitboss/event-store';
import { AuditController } from '@pitboss/governance';
import { PostgresIdempotencyStore } from '@pitboss/idempotency';
import { MessagingModule } from '@pitboss/messaging';
import { ObservabilityModule } from '@pitboss/observability';
import { RedisModule } from '@pitboss/redis';
import { SecurityModule } from '@pitboss/security';

import { BetCommands } from './api/bet-commands';
import { AuthorizeBetHandler } from './bets/authorize-bet.handler';
import { BetQueries } from './bets/bet-queries';
import { BetRepository } from './bets/bet-repository';
import { GatewayEventsConsumer } from './bets/gateway-events.consumer';
import { IdempotentCommands } from './bets/idempotent-commands';
import { PendingDebitRecovery } from './bets/pending-debit-recovery.service';
import { playerDebitLimiterProvider } from './bets/player-debit-limiter.provider';
import { RollbackBetHandler } from './bets/rollback-bet.handler';
import { SettleBetHandler } from './bets/settle-bet.handler';
import { SettlementOutcomeProjector } from './bets/settlement-outcome.projector';
import { GATEWAY_CONFIG, gatewayConfig } from './config/gateway-config';
import { DegradedMode } from './degraded-mode/degraded-mode.service';
import { GrpcGatewayServer } from './grpc/grpc-gateway.server';
import { ExpiredRowsPurger } from './housekeeping/expired-rows-purger';
import { PURGE_CONFIG, purgeConfig } from './housekeeping/purge.config';
import { gatewayChangeRequests } from './governance/change-requests.options';
import { governanceProviders } from './governance/governance.providers';
import { AdminController } from './http/admin.controller';
import { BetsController } from './http/bets.controller';
import { GameConfigController } from './http/game-config.controller';
import { ApiMetrics } from './metrics/api-metrics';
import { gatewayMigrations } from './migrations/gateway-migrations';
import { BonusGrantsRepository } from './read-models/bonus-grants.repository';
import { EntitlementsRepository } from './read-models/entitlements.repository';
import { PlayerRestrictionsRepository } from './read-models/player-restrictions.repository';
import { ReadModelProjector } from './read-models/read-model.projector';
import { OpenSessionHandler } from './sessions/open-session.handler';
import { SessionRepository } from './sessions/session.repository';
import { walletProviders } from './wallet/wallet.tokens';

const serviceName = 'bet-gateway';

@Module({
  imports: [
    ObservabilityModule.forRoot({ serviceName }),
    EventStoreModule.forRoot({ serviceName, migrations: gatewayMigrations }),
    MessagingModule.forRoot({ serviceName }),
    RedisModule.forRoot(),
    SecurityModule.forRoot(),
    AuthModule.forRoot(),
    gatewayChangeRequests,
  ],
  controllers: [
    BetsController,
    AdminController,
    AuditController,
    GameConfigController,
    GatewayEventsConsumer,
  ],
  providers: [
    { provide: GATEWAY_CONFIG, useFactory: () => gatewayConfig() },
    { provide: PURGE_CONFIG, useFactory: () => purgeConfig() },
    {
      provide: PostgresIdempotencyStore,
      inject: [DATABASE_POOL],
      useFactory: (pool: Pool) => new PostgresIdempotencyStore(pool),
    },
    ...walletProviders,
    ApiMetrics,
    IdempotentCommands,
    BetRepository,
    SessionRepository,
    PlayerRestrictionsRepository,
    BonusGrantsRepository,
    EntitlementsRepository,
    DegradedMode,
    playerDebitLimiterProvider,
    AuthorizeBetHandler,
    SettleBetHandler,
    RollbackBetHandler,
    BetQueries,
    OpenSessionHandler,
    BetCommands,
    SettlementOutcomeProjector,
    ReadModelProjector,
    PendingDebitRecovery,
    ExpiredRowsPurger,
    GrpcGatewayServer,
    ...governanceProviders,
  ],
})
export class BetGatewayModule {}
