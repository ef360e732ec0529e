import { writeOpenApiDocumentFromArgs } from '@pitboss/openapi';

import { buildOpenApiDocument } from './http/openapi-document';

// `tsx apps/<service>/src/openapi-document.cli.ts <file.json>`: the served document, for `npm run openapi:lint`.
writeOpenApiDocumentFromArgs(buildOpenApiDocument);
