import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `npm run openapi:lint`: Spectral (spectral:oas and the rules of .spectral.yaml) over every OpenAPI document
// the services serve, generated to a temporary file without starting them (each service's openapi-document.cli.ts).
const root = join(__dirname, '..', '..');
const DOCUMENTS = ['bet-gateway', 'bonus-grant', 'wagering-progress', 'reconciliation'].map((service) => ({
  service,
  cli: `apps/${service}/src/openapi-document.cli.ts`,
}));

const dir = mkdtempSync(join(tmpdir(), 'pitboss-openapi-'));
let failed = 0;
try {
  for (const { service, cli } of DOCUMENTS) {
    const file = join(dir, `${service}.openapi.json`);
    execFileSync('npx', ['tsx', cli, file], { cwd: root, stdio: 'inherit' });
    try {
      execFileSync(
        'npx',
        ['spectral', 'lint', '--ruleset', '.spectral.yaml', '--fail-severity', 'warn', file],
        {
          cwd: root,
          stdio: 'inherit',
        },
      );
      console.log(`openapi:lint: ${service}: no findings`);
    } catch {
      failed++;
      console.error(
        `openapi:lint: ${service}'s OpenAPI document has the findings above (rule names: .spectral.yaml or ` +
          `spectral:oas); fix them where it is generated (${cli}, libs/openapi). docs/operations.md#security-checks`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed === 0 ? 0 : 1;
