import './telemetry';
import 'reflect-metadata';

import { runService } from '@pitboss/observability';
import { mountApiDocs } from '@pitboss/openapi';

import { ErrorResponseFilter } from './http/error-response.filter';
import { buildOpenApiDocument } from './http/openapi-document';
import { wageringEventsTransport } from './progress/wagering-events.consumer';
import { WageringProgressModule } from './wagering-progress.module';

runService(WageringProgressModule, {
  serviceName: 'wagering-progress',
  defaultPort: 3003,
  configure: (app) => {
    app.useGlobalFilters(new ErrorResponseFilter());
    // GET /docs (Swagger UI) and /docs/openapi.json, without credentials.
    mountApiDocs(app, buildOpenApiDocument());
  },
  transports: (app) => [wageringEventsTransport(app)],
});
