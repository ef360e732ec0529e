import { assertTenant, type Principal } from '@pitboss/auth';

/** The tenant a reconciliation request acts on: the token's, which `tenant=` (optional) must repeat. */
export function tenantOfRequest(principal: Principal, tenant: string | undefined): string {
  if (tenant !== undefined) assertTenant(principal, tenant);
  return principal.tenantId;
}
