import './telemetry';
import 'reflect-metadata';

import { runService } from '@pitboss/observability';

import { nocConfig } from './noc.config';
import { NocModule } from './noc.module';

runService(NocModule, { serviceName: 'noc', defaultPort: 3006, checkSettings: () => void nocConfig() });
