import 'reflect-metadata';

import { runService } from '@pitboss/observability';

import { BetGatewayModule } from './bet-gateway.module';

runService(BetGatewayModule, { serviceName: 'bet-gateway', defaultPort: 3000 });
