import 'reflect-metadata';

import { bootstrapService } from '@pitboss/observability';

import { BonusGrantModule } from './bonus-grant.module';

void bootstrapService(BonusGrantModule, { serviceName: 'bonus-grant', defaultPort: 3002 });
