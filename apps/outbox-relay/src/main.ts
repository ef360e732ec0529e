import 'reflect-metadata';

import { bootstrapService } from '@pitboss/observability';

import { OutboxRelayModule } from './outbox-relay.module';

void bootstrapService(OutboxRelayModule, { serviceName: 'outbox-relay', defaultPort: 3005 });
