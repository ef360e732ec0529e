import './telemetry';
import 'reflect-metadata';

import { runService } from '@pitboss/observability';

import { WageringProgressModule } from './wagering-progress.module';

runService(WageringProgressModule, { serviceName: 'wagering-progress', defaultPort: 3003 });
