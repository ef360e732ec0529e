import './telemetry';
import 'reflect-metadata';

import { runService } from '@pitboss/observability';

import { checkSettleWorkerSettings } from './settle-worker-settings.check';
import { SettleWorkerModule } from './settle-worker.module';

runService(SettleWorkerModule, {
  serviceName: 'settle-worker',
  defaultPort: 3001,
  checkSettings: () => checkSettleWorkerSettings(),
});
