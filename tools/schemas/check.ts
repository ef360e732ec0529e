import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ASYNCAPI_DOCUMENT, renderAsyncApiDocument } from '../asyncapi/render';
import { findBreakingSchemaChanges } from './backward-compatibility';
import { generatedContractFiles } from './generated-contract-files';

/**
 * `npm run schemas:check`: fails when a topic schema is not BACKWARD compatible with its version on main
 * (SCHEMAS_BASE_REF, default `main`), or when libs/contracts/src/generated or libs/contracts/asyncapi.yaml is stale.
 */
const repoRoot = process.cwd();
const baseRevision = process.env['SCHEMAS_BASE_REF'] || 'main';
const failures: string[] = [];

for (const [name, content] of Object.entries(generatedContractFiles(repoRoot))) {
  const path = join('libs/contracts/src/generated', name);
  let committed: string | undefined;
  try {
    committed = readFileSync(join(repoRoot, path), 'utf8');
  } catch {
    committed = undefined;
  }
  if (committed !== content) failures.push(`${path} is stale: run npm run contracts:generate`);
}
let asyncApi: string | undefined;
try {
  asyncApi = readFileSync(join(repoRoot, ASYNCAPI_DOCUMENT), 'utf8');
} catch {
  asyncApi = undefined;
}
if (asyncApi !== renderAsyncApiDocument(repoRoot)) {
  failures.push(
    `${ASYNCAPI_DOCUMENT} is stale: run npm run asyncapi:generate (or npm run contracts:generate)`,
  );
}
for (const problem of findBreakingSchemaChanges(repoRoot, baseRevision)) {
  failures.push(`${problem.topic} (${problem.between}) is not backward compatible: ${problem.reason}`);
}

if (failures.length > 0) {
  failures.forEach((failure) => console.error(`schemas: ${failure}`));
  process.exit(1);
}
console.log(
  `schemas: all topic schemas are backward compatible with ${baseRevision} and generated files are current`,
);
