import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { generatedContractFiles } from './generated-contract-files';

/** `npm run contracts:generate`: rewrites libs/contracts/src/generated from the `.avsc` sources. */
const repoRoot = process.cwd();
const files = generatedContractFiles(repoRoot);
const outputDir = join(repoRoot, 'libs/contracts/src/generated');
mkdirSync(outputDir, { recursive: true });
for (const [name, content] of Object.entries(files)) writeFileSync(join(outputDir, name), content);
console.log(`contracts: wrote ${Object.keys(files).length} files to libs/contracts/src/generated`);
