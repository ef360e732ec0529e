import { Module } from '@nestjs/common';

import { MessagingModule } from '@pitboss/messaging';
import { ObservabilityModule } from '@pitboss/observability';

import { OutboxRelayService } from './outbox-relay.service';

const serviceName = 'outbox-relay';

@Module({
  imports: [ObservabilityModule.forRoot({ serviceName }), MessagingModule.forRoot({ serviceName })],
  providers: [OutboxRelayService],
})
export class OutboxRelayModule {}
