import 'reflect-metadata';

import { bootstrapService } from '@pitboss/observability';

import { ReconciliationModule } from './reconciliation.module';

void bootstrapService(ReconciliationModule, { serviceName: 'reconciliation', defaultPort: 3004 });
