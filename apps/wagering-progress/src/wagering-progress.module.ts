import { Module } from '@nestjs/common';

import { EventStoreModule } from '@pitboss/event-store';
import { MessagingModule } from '@pitboss/messaging';
import { ObservabilityModule } from '@pitboss/observability';

const serviceName = 'wagering-progress';

@Module({
  imports: [
    ObservabilityModule.forRoot({ serviceName }),
    EventStoreModule.forRoot({ serviceName }),
    MessagingModule.forRoot({ serviceName }),
  ],
})
export class WageringProgressModule {}
