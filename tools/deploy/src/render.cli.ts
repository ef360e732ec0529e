/**
 * `npm run deploy:render -- --env production --region eu [--out DIR]`: the manifests of every service of one
 * environment and region, as Argo CD would apply them, written for a person to read (default
 * .stack/deploy/manifests, git-ignored).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
  DEPLOY_CACHE,
  ENVIRONMENTS,
  type Environment,
  type Region,
  REGIONS,
  renderTargets,
} from './deploy-targets';
import { renderCharts } from './render-charts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { env: { type: 'string' }, region: { type: 'string' }, out: { type: 'string' } },
  });
  const environment = values.env as Environment | undefined;
  const region = values.region as Region | undefined;
  if (
    environment === undefined ||
    !ENVIRONMENTS.includes(environment) ||
    region === undefined ||
    !REGIONS.includes(region)
  ) {
    console.error(
      `usage: npm run deploy:render -- --env ${ENVIRONMENTS.join('|')} --region ${REGIONS.join('|')} [--out DIR]`,
    );
    process.exit(2);
  }
  const outDir = path.resolve(values.out ?? path.join(DEPLOY_CACHE, 'manifests'));
  const run = await renderCharts(renderTargets({ environment, region }), {
    outDir,
    lint: false,
    log: console.log,
  });
  for (const { file } of run.rendered) console.log(`deploy:render: ${path.relative(process.cwd(), file)}`);
  for (const failure of run.failures) console.error(`deploy:render: ✗ ${failure}`);
  process.exit(run.failures.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(`deploy:render: ${(error as Error).message}`);
  process.exit(1);
});
