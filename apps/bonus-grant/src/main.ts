import './telemetry';
import 'reflect-metadata';

import { runService } from '@pitboss/observability';
import { mountApiDocs } from '@pitboss/openapi';

import { BonusGrantModule } from './bonus-grant.module';
import { entitlementUsesTransport } from './entitlements/entitlement-uses.consumer';
import { entitlementWinsTransport } from './entitlements/entitlement-wins.consumer';
import { grantEventsTransport } from './grants/grant-events.consumer';
import { ErrorResponseFilter } from './http/error-response.filter';
import { buildOpenApiDocument } from './http/openapi-document';
import { playerFactsTransport } from './players/player-facts.consumer';

runService(BonusGrantModule, {
  serviceName: 'bonus-grant',
  defaultPort: 3002,
  configure: (app) => {
    app.useGlobalFilters(new ErrorResponseFilter());
    // GET /docs (Swagger UI) and /docs/openapi.json, without credentials.
    mountApiDocs(app, buildOpenApiDocument());
  },
  // Four consumer groups, each its own transport; every handler names the group it belongs to.
  transports: (app) => [
    grantEventsTransport(app),
    playerFactsTransport(app),
    entitlementUsesTransport(app),
    entitlementWinsTransport(app),
  ],
});
