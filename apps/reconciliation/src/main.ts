import './telemetry';
import 'reflect-metadata';

import { runService } from '@pitboss/observability';

import { ReconciliationModule } from './reconciliation.module';

runService(ReconciliationModule, { serviceName: 'reconciliation', defaultPort: 3004 });
