import 'reflect-metadata';

import { type NestExpressApplication } from '@nestjs/platform-express';

import { runService } from '@pitboss/observability';

import { BetGatewayModule } from './bet-gateway.module';
import { gatewayConfig } from './config/gateway-config';
import { mountApiDocs } from './http/api-docs';
import { ErrorResponseFilter } from './http/error-response.filter';

runService(BetGatewayModule, {
  serviceName: 'bet-gateway',
  defaultPort: 3000,
  // Signatures cover the bytes the aggregator sent, so the raw body is kept beside the parsed one.
  rawBody: true,
  configure: (app) => {
    (app as NestExpressApplication).useBodyParser('json', { limit: gatewayConfig().maxBodyBytes });
    app.useGlobalFilters(new ErrorResponseFilter());
    mountApiDocs(app);
  },
});
