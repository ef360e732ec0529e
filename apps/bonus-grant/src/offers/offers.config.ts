import { envInt, envString, infrastructureConfig, serviceSchema } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

/** bonus-grant's settings for offers and their four-eyes publication (docs/configuration.md). */
export interface OffersConfig {
  /** The service's schema: change requests, audit journal, offers. */
  readonly schema: string;
  /** How long a publish request waits for its second person (`CHANGE_REQUEST_TTL_MS`, default 72 h). */
  readonly changeRequestTtlMs: number;
  /** This deployment's region (`PITBOSS_REGION`). */
  readonly region: string;
  /** `TENANT_REGIONS` (`tenant=region,…`); empty: every tenant is this region's. */
  readonly tenantRegions: string;
}

export function offersConfig(env: Env = process.env): OffersConfig {
  return {
    schema: serviceSchema('bonus-grant', env),
    changeRequestTtlMs: envInt('CHANGE_REQUEST_TTL_MS', 72 * 3_600_000, env),
    region: infrastructureConfig(env).region,
    tenantRegions: envString('TENANT_REGIONS', '', env),
  };
}

export const OFFERS_CONFIG = Symbol('OFFERS_CONFIG');
