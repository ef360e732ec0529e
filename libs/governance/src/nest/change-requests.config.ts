import { type ChangeRequestsOptions } from '../change-requests';
import { type TenantRegions } from '../tenant-regions';

/** Injection token of the `ChangeRequestsConfig` of `ChangeRequestsModule`. */
export const CHANGE_REQUESTS_OPTIONS = Symbol('CHANGE_REQUESTS_OPTIONS');

export interface ChangeRequestsConfig extends ChangeRequestsOptions {
  /** When given, a token whose tenant (or region) this deployment does not serve gets 403 TENANT_WRONG_REGION. */
  readonly tenantRegions?: TenantRegions;
}
