import { type INestApplication } from '@nestjs/common';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Where every service serves its API document (JSON) and Swagger UI. */
export const API_DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

/**
 * Serves `document` at `GET /docs/openapi.json` and Swagger UI at `GET /docs`. Swagger registers these on the
 * HTTP adapter, outside Nest's router, so guards (a service's signature guard) never see them: the docs need no
 * credentials.
 */
export function mountApiDocs(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup(API_DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    // Only the JSON document: a second (YAML) copy at /docs-yaml would be one more URL to keep in mind.
    raw: ['json'],
    customSiteTitle: document.info.title,
  });
}
