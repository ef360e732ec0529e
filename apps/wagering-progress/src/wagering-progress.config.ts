import { envInt, envString, infrastructureConfig, serviceSchema } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

/** wagering-progress's settings (docs/configuration.md). */
export interface WageringProgressConfig {
  readonly schema: string;
  readonly region: string;
  /** `TENANT_REGIONS`: `tenant=region,…`; empty: every tenant is this region's. */
  readonly tenantRegions: string;
  /** `CHANGE_REQUEST_TTL_MS`: how long a schema's change request waits for its approver (default 72 h). */
  readonly changeRequestTtlMs: number;
}

export function wageringProgressConfig(env: Env = process.env): WageringProgressConfig {
  return {
    schema: serviceSchema('wagering-progress', env),
    region: infrastructureConfig(env).region,
    tenantRegions: envString('TENANT_REGIONS', '', env),
    changeRequestTtlMs: envInt('CHANGE_REQUEST_TTL_MS', 72 * 3_600_000, env),
  };
}
