import './telemetry';
import 'reflect-metadata';

import { runService } from '@pitboss/observability';
import { mountApiDocs } from '@pitboss/openapi';

import { ErrorResponseFilter } from './http/error-response.filter';
import { buildOpenApiDocument } from './http/openapi-document';
import { mirrorLedgerTransport } from './mirror/mirror-ledger.consumer';
import { ReconciliationModule } from './reconciliation.module';

runService(ReconciliationModule, {
  serviceName: 'reconciliation',
  defaultPort: 3004,
  configure: (app) => {
    app.useGlobalFilters(new ErrorResponseFilter());
    // GET /docs (Swagger UI) and /docs/openapi.json, without credentials.
    mountApiDocs(app, buildOpenApiDocument());
  },
  transports: (app) => [mirrorLedgerTransport(app)],
});
