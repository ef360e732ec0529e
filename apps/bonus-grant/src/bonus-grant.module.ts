import { Module } from '@nestjs/common';

import { AuthModule } from '@pitboss/auth';
import { EventStoreModule } from '@pitboss/event-store';
import { AuditController } from '@pitboss/governance';
import { MessagingModule } from '@pitboss/messaging';
import { ObservabilityModule } from '@pitboss/observability';
import { RedisModule } from '@pitboss/redis';

import { bonusGrantChangeRequests } from './bonus-grant-change-requests';
import { bonusGrantMigrations } from './bonus-grant-migrations';
import { EntitlementsModule } from './entitlements/entitlements.module';
import { GrantsModule } from './grants/grants.module';
import { OffersController } from './http/offers.controller';
import { OfferCommands } from './offers/offer-commands';
import { OfferEligibility } from './offers/offer-eligibility';
import { OffersModule } from './offers/offers.module';
import { PlayerFactsConsumer } from './players/player-facts.consumer';
import { PlayerFactsReader } from './players/player-facts.reader';

const serviceName = 'bonus-grant';

@Module({
  imports: [
    ObservabilityModule.forRoot({ serviceName }),
    EventStoreModule.forRoot({ serviceName, migrations: bonusGrantMigrations }),
    MessagingModule.forRoot({ serviceName }),
    RedisModule.forRoot(),
    AuthModule.forRoot(),
    OffersModule,
    bonusGrantChangeRequests,
    GrantsModule,
    EntitlementsModule,
  ],
  // HTTP routes, and the @EventPattern handlers of the bonus-grant-facts transport main.ts connects.
  controllers: [OffersController, AuditController, PlayerFactsConsumer],
  providers: [PlayerFactsReader, OfferCommands, OfferEligibility],
})
export class BonusGrantModule {}
