import { Module } from '@nestjs/common';

import { EventStoreModule } from '@pitboss/event-store';
import { MessagingModule } from '@pitboss/messaging';
import { ObservabilityModule } from '@pitboss/observability';
import { RedisModule } from '@pitboss/redis';

const serviceName = 'bonus-grant';

@Module({
  imports: [
    ObservabilityModule.forRoot({ serviceName }),
    EventStoreModule.forRoot({ serviceName }),
    MessagingModule.forRoot({ serviceName }),
    RedisModule.forRoot(),
  ],
})
export class BonusGrantModule {}
