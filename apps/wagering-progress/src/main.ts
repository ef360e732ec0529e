import 'reflect-metadata';

import { bootstrapService } from '@pitboss/observability';

import { WageringProgressModule } from './wagering-progress.module';

void bootstrapService(WageringProgressModule, { serviceName: 'wagering-progress', defaultPort: 3003 });
