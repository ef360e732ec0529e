import 'reflect-metadata';

import { runService } from '@pitboss/observability';

import { SettleWorkerModule } from './settle-worker.module';

runService(SettleWorkerModule, { serviceName: 'settle-worker', defaultPort: 3001 });
