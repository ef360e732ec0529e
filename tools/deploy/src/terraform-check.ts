import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { DEPLOY_CACHE, WORKSPACE } from './deploy-targets';

const TERRAFORM_DIR = path.join(WORKSPACE, 'terraform');
const PROVIDER = path.join('registry.terraform.io', 'hashicorp', 'aws');
/** Where machines of this kind ship the AWS provider as an unpacked filesystem mirror. */
const MIRROR_CANDIDATES = [
  '/opt/tf-plugins',
  '/usr/share/terraform/plugins',
  '/usr/local/share/terraform/plugins',
];

export interface TerraformReport {
  readonly failures: string[];
  readonly notes: string[];
}

function terraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv) {
  return spawnSync('terraform', args, { cwd, env, encoding: 'utf8' });
}

/** A directory holding registry.terraform.io/hashicorp/aws/<version>/<os_arch>/terraform-provider-aws*. */
export function findProviderMirror(candidates: readonly string[] = MIRROR_CANDIDATES): string | undefined {
  return candidates.find((dir) => {
    const provider = path.join(dir, PROVIDER);
    if (!fs.existsSync(provider)) return false;
    return fs
      .readdirSync(provider)
      .some((version) =>
        fs
          .readdirSync(path.join(provider, version))
          .some((platform) =>
            fs
              .readdirSync(path.join(provider, version, platform))
              .some((f) => f.startsWith('terraform-provider-aws')),
          ),
      );
  });
}

export function environments(): string[] {
  const dir = path.join(TERRAFORM_DIR, 'environments');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => fs.statSync(path.join(dir, name)).isDirectory())
    .sort();
}

/**
 * `terraform fmt -check -recursive` always; `init -backend=false` + `validate` of every environment when the
 * provider can be had offline from a local mirror (a CLI config generated here points at it, nothing else).
 */
export function checkTerraform(): TerraformReport {
  const failures: string[] = [];
  const notes: string[] = [];
  fs.mkdirSync(DEPLOY_CACHE, { recursive: true });
  // Our own CLI config, so a machine's ~/.terraformrc (or a TF_CLI_CONFIG_FILE naming a missing file) plays no part.
  const config = path.join(DEPLOY_CACHE, 'terraform.rc');
  fs.writeFileSync(config, '');
  const baseEnv = { ...process.env, TF_CLI_CONFIG_FILE: config };
  const version = spawnSync('terraform', ['version'], { encoding: 'utf8', env: baseEnv });
  if (version.error) return { failures: ['terraform is not installed (needed for fmt and validate)'], notes };
  const fmt = terraform(['fmt', '-check', '-recursive', '-diff'], TERRAFORM_DIR, baseEnv);
  if (fmt.status !== 0)
    failures.push(
      `terraform fmt -check: not formatted (run terraform fmt -recursive terraform):\n${fmt.stdout}${fmt.stderr}`,
    );
  const mirror = findProviderMirror();
  if (mirror === undefined) {
    notes.push(
      `terraform validate skipped: no hashicorp/aws provider in a local mirror (looked in ${MIRROR_CANDIDATES.join(', ')}), and the check stays offline`,
    );
    return { failures, notes };
  }
  fs.writeFileSync(
    config,
    `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n`,
  );
  for (const environment of environments()) {
    const cwd = path.join(TERRAFORM_DIR, 'environments', environment);
    const dataDir = path.join(DEPLOY_CACHE, 'terraform', environment);
    const env = { ...baseEnv, TF_DATA_DIR: dataDir, TF_IN_AUTOMATION: '1' };
    const init = terraform(
      ['init', '-backend=false', '-input=false', '-no-color', '-lockfile=readonly'],
      cwd,
      env,
    );
    const initRetry =
      init.status === 0 ? init : terraform(['init', '-backend=false', '-input=false', '-no-color'], cwd, env);
    if (initRetry.status !== 0) {
      failures.push(`terraform init ${environment}: ${initRetry.stderr || initRetry.stdout}`);
      continue;
    }
    const validate = terraform(['validate', '-no-color'], cwd, env);
    if (validate.status !== 0)
      failures.push(`terraform validate ${environment}: ${validate.stderr || validate.stdout}`);
  }
  notes.push(`terraform validate: ${environments().join(', ')} with the AWS provider from ${mirror}`);
  return { failures, notes };
}
