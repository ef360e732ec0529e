import { Module } from '@nestjs/common';

import { EventStoreModule } from '@pitboss/event-store';
import { MessagingModule } from '@pitboss/messaging';
import { ObservabilityModule } from '@pitboss/observability';

const serviceName = 'reconciliation';

@Module({
  imports: [
    ObservabilityModule.forRoot({ serviceName }),
    EventStoreModule.forRoot({ serviceName }),
    MessagingModule.forRoot({ serviceName }),
  ],
})
export class ReconciliationModule {}
