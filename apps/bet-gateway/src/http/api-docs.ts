import { type INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';

import { API_DOCS_PATH, buildOpenApiDocument, OPENAPI_JSON_PATH } from './openapi-document';

/**
 * Serves the aggregator API's OpenAPI document at `GET /docs/openapi.json` and Swagger UI at `GET /docs`.
 * Swagger registers these on the Express instance, outside Nest's router, so SignatureGuard never sees them:
 * the docs need no signature (and need no `@PublicRoute()`).
 */
export function mountApiDocs(app: INestApplication): void {
  SwaggerModule.setup(API_DOCS_PATH, app, buildOpenApiDocument(), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    // Only the JSON document: a second (YAML) copy at /docs-yaml would be one more URL to keep in mind.
    raw: ['json'],
    customSiteTitle: 'Pitboss bet-gateway API',
  });
}
