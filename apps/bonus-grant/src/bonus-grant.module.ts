import { Module } from '@nestjs/common';

import { EventStoreModule } from '@pitboss/event-store';
import { MessagingModule } from '@pitboss/messaging';
import { ObservabilityModule } from '@pitboss/observability';
import { RedisModule } from '@pitboss/redis';

import { bonusGrantMigrations } from './bonus-grant-migrations';
import { PublishedOffers } from './offers/published-offers';
import { PlayerFactsConsumer } from './players/player-facts.consumer';
import { PlayerFactsReader } from './players/player-facts.reader';

const serviceName = 'bonus-grant';

@Module({
  imports: [
    ObservabilityModule.forRoot({ serviceName }),
    EventStoreModule.forRoot({ serviceName, migrations: bonusGrantMigrations }),
    MessagingModule.forRoot({ serviceName }),
    RedisModule.forRoot(),
  ],
  providers: [PublishedOffers, PlayerFactsReader, PlayerFactsConsumer],
})
export class BonusGrantModule {}
