import 'reflect-metadata';

import { bootstrapService } from '@pitboss/observability';

import { BetGatewayModule } from './bet-gateway.module';

void bootstrapService(BetGatewayModule, { serviceName: 'bet-gateway', defaultPort: 3000 });
