import './telemetry';
import 'reflect-metadata';

import { runService } from '@pitboss/observability';
import { mountApiDocs } from '@pitboss/openapi';

import { BonusGrantModule } from './bonus-grant.module';
import { ErrorResponseFilter } from './http/error-response.filter';
import { buildOpenApiDocument } from './http/openapi-document';

runService(BonusGrantModule, {
  serviceName: 'bonus-grant',
  defaultPort: 3002,
  configure: (app) => {
    app.useGlobalFilters(new ErrorResponseFilter());
    // GET /docs (Swagger UI) and /docs/openapi.json, without credentials.
    mountApiDocs(app, buildOpenApiDocument());
  },
});
