import './telemetry';
import 'reflect-metadata';

import { type NestExpressApplication } from '@nestjs/platform-express';

import { runService } from '@pitboss/observability';
import { mountApiDocs } from '@pitboss/openapi';

import { BetGatewayModule } from './bet-gateway.module';
import { gatewayConfig } from './config/gateway-config';
import { checkGatewaySettings } from './config/gateway-settings.check';
import { ErrorResponseFilter } from './http/error-response.filter';
import { buildOpenApiDocument } from './http/openapi-document';

runService(BetGatewayModule, {
  serviceName: 'bet-gateway',
  defaultPort: 3000,
  checkSettings: () => checkGatewaySettings(),
  // Bodies stay the bytes the aggregator sent (`request.rawBody`, what the signature covers), whatever their
  // Content-Type; the commands read them as JSON after the signature check (see json-request-body.ts).
  rawBody: true,
  bodyParser: false,
  configure: (app) => {
    (app as NestExpressApplication).useBodyParser('raw', {
      type: () => true,
      limit: gatewayConfig().maxBodyBytes,
    });
    app.useGlobalFilters(new ErrorResponseFilter());
    // GET /docs (Swagger UI) and /docs/openapi.json, unsigned.
    mountApiDocs(app, buildOpenApiDocument());
  },
});
