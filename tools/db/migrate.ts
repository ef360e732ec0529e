import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { SERVICES_WITH_EVENT_STORE } from '@pitboss/platform-config';

const WORKSPACE = path.resolve(__dirname, '..', '..');

/**
 * `npm run db:migrate`: every service's migrate job (`apps/<service>/src/migrate.ts`, the same migration list the
 * service applies at start) against its own schema of DATABASE_URL, one after the other. Each runs as its own
 * process because a tool may not import an app (module boundaries); deployments run the built job the same way.
 */
function main(): void {
  for (const service of SERVICES_WITH_EVENT_STORE) {
    const job = path.join(WORKSPACE, 'apps', service, 'src', 'migrate.ts');
    // DATABASE_SCHEMA names one schema; each job must use its own service's.
    const { DATABASE_SCHEMA: _ignored, ...env } = process.env;
    const result = spawnSync(process.execPath, ['--import', 'tsx', job], {
      cwd: WORKSPACE,
      env,
      stdio: 'inherit',
    });
    if (result.status !== 0) {
      console.error(`db: ${service}: migrate job ${result.error?.message ?? `exited with ${result.status}`}`);
      process.exit(1);
    }
  }
}

main();
