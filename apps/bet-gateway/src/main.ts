import './telemetry';
import 'reflect-metadata';

import { type NestExpressApplication } from '@nestjs/platform-express';

import { runService } from '@pitboss/observability';
import { mountApiDocs } from '@pitboss/openapi';

import { BetGatewayModule } from './bet-gateway.module';
import { gatewayEventsTransport } from './bets/gateway-events.consumer';
import { gatewayConfig } from './config/gateway-config';
import { checkGatewaySettings } from './config/gateway-settings.check';
import { apiErrorMetrics } from './http/api-error-metrics.middleware';
import { ErrorResponseFilter } from './http/error-response.filter';
import { buildOpenApiDocument } from './http/openapi-document';
import { ApiMetrics } from './metrics/api-metrics';

runService(BetGatewayModule, {
  serviceName: 'bet-gateway',
  defaultPort: 3000,
  checkSettings: () => checkGatewaySettings(),
  transports: (app) => [gatewayEventsTransport(app)],
  // Bodies stay the bytes the aggregator sent (`request.rawBody`, what the signature covers), whatever their
  // Content-Type; the commands read them as JSON after the signature check (see json-request-body.ts).
  rawBody: true,
  bodyParser: false,
  configure: (app) => {
    // Ahead of the body parser, whose refusals (PAYLOAD_TOO_LARGE) skip every middleware mounted after it.
    app.use(apiErrorMetrics(app.get(ApiMetrics)));
    (app as NestExpressApplication).useBodyParser('raw', {
      type: () => true,
      limit: gatewayConfig().maxBodyBytes,
    });
    app.useGlobalFilters(new ErrorResponseFilter());
    // GET /docs (Swagger UI) and /docs/openapi.json, unsigned.
    mountApiDocs(app, buildOpenApiDocument());
  },
});
