import './telemetry';
import 'reflect-metadata';

import { runService } from '@pitboss/observability';

import { BonusGrantModule } from './bonus-grant.module';

runService(BonusGrantModule, { serviceName: 'bonus-grant', defaultPort: 3002 });
