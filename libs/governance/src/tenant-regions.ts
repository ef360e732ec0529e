import { PitbossError } from '@pitboss/contracts';

/**
 * Which region serves each tenant (`TENANT_REGIONS`, `tenant=region,…`). Each deployment serves one region
 * (`PITBOSS_REGION`); a call for a tenant bound elsewhere is refused. With no bindings at all (local
 * development, existing set-ups) every tenant is the deployment's; once any is bound, an unbound tenant is
 * refused too (fail closed).
 */
export class TenantRegions {
  constructor(
    readonly deploymentRegion: string,
    private readonly bindings: ReadonlyMap<string, string>,
  ) {}

  static parse(deploymentRegion: string, spec: string): TenantRegions {
    const bindings = new Map<string, string>();
    for (const part of spec
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)) {
      const [tenant, region] = part.split('=').map((item) => item.trim());
      if (!tenant || !region) throw new Error(`TENANT_REGIONS: "${part}" is not tenant=region`);
      bindings.set(tenant, region);
    }
    return new TenantRegions(deploymentRegion, bindings);
  }

  regionOf(tenantId: string): string | undefined {
    if (this.bindings.size === 0) return this.deploymentRegion;
    return this.bindings.get(tenantId);
  }

  /** Refuses a tenant of another region; `claimedRegion` is a token's region claim, when there is one. */
  assertServes(tenantId: string, claimedRegion?: string | null): void {
    const region = this.regionOf(tenantId);
    if (region !== this.deploymentRegion) {
      throw new PitbossError(
        'TENANT_WRONG_REGION',
        `tenant ${tenantId} is served in ${region ?? 'no region'}, this deployment serves ${this.deploymentRegion}`,
        { region: region ?? null },
      );
    }
    if (claimedRegion && claimedRegion !== this.deploymentRegion) {
      throw new PitbossError(
        'TENANT_WRONG_REGION',
        `the token is for region ${claimedRegion}, this deployment serves ${this.deploymentRegion}`,
        { region: claimedRegion },
      );
    }
  }
}
