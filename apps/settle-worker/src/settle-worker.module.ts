import { Module } from '@nestjs/common';

import { EventStoreModule } from '@pitboss/event-store';
import { MessagingModule } from '@pitboss/messaging';
import { ObservabilityModule } from '@pitboss/observability';

import { BetFactsRepository } from './bet-facts.repository';
import { BetSagasRepository } from './bet-sagas.repository';
import { BetStepRunner } from './bet-step.runner';
import { RoundEventsConsumer } from './round-events.consumer';
import { RoundEventsHandler } from './round-events.handler';
import { SettleMetrics } from './settle-metrics';
import { SettleTimersService } from './settle-timers.service';
import { SETTLE_WORKER_CONFIG, settleWorkerConfig } from './settle-worker.config';
import { settleWorkerMigrations } from './settle-worker-migrations';
import { walletClientProvider } from './wallet-client.provider';

const serviceName = 'settle-worker';

@Module({
  imports: [
    ObservabilityModule.forRoot({ serviceName }),
    EventStoreModule.forRoot({ serviceName, migrations: settleWorkerMigrations }),
    MessagingModule.forRoot({ serviceName }),
  ],
  // Its @EventPattern handlers, served by the Kafka transport main.ts connects.
  controllers: [RoundEventsConsumer],
  providers: [
    { provide: SETTLE_WORKER_CONFIG, useFactory: () => settleWorkerConfig() },
    SettleMetrics,
    walletClientProvider,
    BetSagasRepository,
    BetFactsRepository,
    RoundEventsHandler,
    BetStepRunner,
    SettleTimersService,
  ],
})
export class SettleWorkerModule {}
