import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ASYNCAPI_DOCUMENT, renderAsyncApiDocument } from './render';

/** `npm run asyncapi:generate` (also run by `npm run contracts:generate`): rewrites the AsyncAPI document. */
const repoRoot = process.cwd();
writeFileSync(join(repoRoot, ASYNCAPI_DOCUMENT), renderAsyncApiDocument(repoRoot));
console.log(`asyncapi: wrote ${ASYNCAPI_DOCUMENT}`);
