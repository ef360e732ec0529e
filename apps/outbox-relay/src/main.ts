import './telemetry';
import 'reflect-metadata';

import { runService } from '@pitboss/observability';

import { OutboxRelayModule } from './outbox-relay.module';

runService(OutboxRelayModule, { serviceName: 'outbox-relay', defaultPort: 3005 });
