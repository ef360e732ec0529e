import './telemetry';
import 'reflect-metadata';

import { runService } from '@pitboss/observability';

import { roundEventsTransport } from './round-events.consumer';
import { checkSettleWorkerSettings } from './settle-worker-settings.check';
import { SettleWorkerModule } from './settle-worker.module';

runService(SettleWorkerModule, {
  serviceName: 'settle-worker',
  defaultPort: 3001,
  checkSettings: () => checkSettleWorkerSettings(),
  transports: (app) => [roundEventsTransport(app)],
});
