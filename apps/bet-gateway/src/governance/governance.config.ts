import { envInt, envString, infrastructureConfig, serviceSchema } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

/** bet-gateway's governance settings (docs/configuration.md). */
export interface GovernanceConfig {
  readonly schema: string;
  readonly databaseUrl: string;
  /** This deployment's region (`PITBOSS_REGION`): it serves only tenants bound to it and its games' configs. */
  readonly region: string;
  /** `TENANT_REGIONS`: `tenant=region,…`; empty: every tenant is this region's. */
  readonly tenantRegions: string;
  /** How long a change request waits for its second person. */
  readonly changeRequestTtlMs: number;
  /** The fallback poll for config versions a replica missed a notification of. */
  readonly configPollMs: number;
  /** How often the audit chain head is published on audit.v1 (when it moved). */
  readonly auditCheckpointMs: number;
}

export function governanceConfig(env: Env = process.env): GovernanceConfig {
  const infrastructure = infrastructureConfig(env);
  return {
    schema: serviceSchema('bet-gateway', env),
    databaseUrl: infrastructure.databaseUrl,
    region: infrastructure.region,
    tenantRegions: envString('TENANT_REGIONS', '', env),
    changeRequestTtlMs: envInt('CHANGE_REQUEST_TTL_MS', 72 * 3_600_000, env),
    configPollMs: envInt('CONFIG_POLL_MS', 1_000, env),
    auditCheckpointMs: envInt('AUDIT_CHECKPOINT_INTERVAL_MS', 60_000, env),
  };
}

export const GOVERNANCE_CONFIG = Symbol('GOVERNANCE_CONFIG');
