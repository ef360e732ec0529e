import 'reflect-metadata';

import { bootstrapService } from '@pitboss/observability';

import { SettleWorkerModule } from './settle-worker.module';

void bootstrapService(SettleWorkerModule, { serviceName: 'settle-worker', defaultPort: 3001 });
