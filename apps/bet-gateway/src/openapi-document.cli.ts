import { writeFileSync } from 'node:fs';

import { buildOpenApiDocument } from './http/openapi-document';

/**
 * The document `GET /docs/openapi.json` serves, written to the file named by the first argument without starting
 * the service (for `npm run openapi:lint`).
 */
const [file] = process.argv.slice(2);
if (file === undefined)
  throw new Error('usage: tsx apps/bet-gateway/src/openapi-document.cli.ts <file.json>');
// eslint-disable-next-line security/detect-non-literal-fs-filename -- the developer's own argument
writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
